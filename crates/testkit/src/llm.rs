//! A harness whose classifier and composer are wired from a `negotiator.toml` text, as
//! `negotiator serve` wires them, against a [`FakeLlm`] (`{anthropic}` and `{openai}` in the
//! text stand for its base URLs).

use negotiator_adapters::config::Config;
use negotiator_adapters::llm::{LlmPorts, ports};
use negotiator_agent::{Agent, Settings, Worker};
use negotiator_vendors::Secret;

use crate::fakes::llm::FakeLlm;
use crate::harness::Harness;

/// The test key the wired Anthropic adapters send.
pub const ANTHROPIC_KEY: &str = "sk-ant-api03-fake-key";

/// The configuration `toml` with the fake's URLs, and an Anthropic key set.
pub fn config(fake: &FakeLlm, toml: &str) -> Config {
    let text = toml
        .replace("{anthropic}", &fake.url())
        .replace("{openai}", &fake.openai_url());
    let mut config = Config::parse(&text).unwrap();
    config.secrets.anthropic_api_key = Some(Secret::new(ANTHROPIC_KEY));
    config
}

/// `h` with its classifier and composer wired from `config` on its own store and notifier.
pub fn rewire(h: &mut Harness, config: &Config) {
    let mut adapters = h.paths.adapters(false).unwrap();
    let fallback = LlmPorts {
        classifier: adapters.classifier.clone(),
        composer: adapters.composer.clone(),
    };
    let knowledge = negotiator_adapters::config::knowledge(config);
    let llm = ports(
        config,
        &h.agent.store,
        adapters.notifier.clone(),
        fallback,
        &knowledge,
    )
    .unwrap();
    adapters.classifier = llm.classifier;
    adapters.composer = llm.composer;
    h.agent = Agent::new(
        h.agent.store.clone(),
        adapters,
        Settings::demo(),
        h.clock.clone(),
    );
    h.worker = Worker::new(h.agent.clone());
}

/// A fresh harness wired from `toml` against `fake`.
pub async fn harness(fake: &FakeLlm, toml: &str) -> Harness {
    let mut h = Harness::new().await;
    rewire(&mut h, &config(fake, toml));
    h
}
