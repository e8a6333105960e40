//! The Anthropic and the OpenAI-compatible adapters (JSON-schema and tools modes) hold to the
//! one LLM contract, each against the fake speaking its protocol on loopback.

use negotiator_adapters::classify::OpenAiClassifier;
use negotiator_adapters::classify::anthropic::AnthropicClassifier;
use negotiator_adapters::compose::OpenAiComposer;
use negotiator_adapters::compose::anthropic::AnthropicComposer;
use negotiator_adapters::config::Structured;
use negotiator_testkit::contract::llm::{CLIENT_TIMEOUT, LlmSubject, run};
use negotiator_testkit::fakes::llm::FakeLlm;
use negotiator_vendors::anthropic::AnthropicClient;
use negotiator_vendors::openai::OpenAiClient;
use negotiator_vendors::{RetryPolicy, Secret};

async fn anthropic() -> LlmSubject {
    let fake = FakeLlm::start().await;
    let client = AnthropicClient::new(fake.url(), Secret::new("sk-ant-test"), CLIENT_TIMEOUT)
        .unwrap()
        .with_retry(RetryPolicy::immediate(3));
    LlmSubject {
        classifier: Box::new(AnthropicClassifier::new(client.clone(), "claude-haiku-4-5")),
        composer: Box::new(AnthropicComposer::new(client, "claude-sonnet-4-5")),
        provider: "anthropic",
        fake,
    }
}

async fn openai(mode: Structured) -> LlmSubject {
    let fake = FakeLlm::start().await;
    let client = OpenAiClient::new(fake.openai_url(), None, CLIENT_TIMEOUT)
        .unwrap()
        .with_retry(RetryPolicy::immediate(3));
    LlmSubject {
        classifier: Box::new(OpenAiClassifier::new(
            client.clone(),
            "qwen2.5:7b",
            mode,
            None,
        )),
        composer: Box::new(OpenAiComposer::new(client, "qwen2.5:7b", mode, None)),
        provider: "openai-compatible",
        fake,
    }
}

#[tokio::test]
async fn the_anthropic_adapters_hold_to_the_llm_contract() {
    run(anthropic).await;
}

#[tokio::test]
async fn the_openai_compatible_adapters_hold_to_the_llm_contract_with_json_schema() {
    run(|| openai(Structured::JsonSchema)).await;
}

#[tokio::test]
async fn the_openai_compatible_adapters_hold_to_the_llm_contract_with_tools() {
    run(|| openai(Structured::Tools)).await;
}
