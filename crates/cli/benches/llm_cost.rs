//! What the language models cost per inbound reply, on a recorded campaign run through the
//! real worker: 12 creators get an opening, each answers with a counter and then an
//! acceptance (24 replies), and a fake model server answers every call from the recorded
//! readings and prose with a realistic `usage` (about four characters a token, the static
//! prefix read from cache when it was sent before and is long enough for the provider to
//! cache it). The wiring is the one `negotiator serve` uses, from a `negotiator.toml` text.
//!
//! ```sh
//! cargo bench -p negotiator-cli --bench llm_cost
//! ```
//!
//! Prints, per provider: LLM calls per inbound reply (goal ≤ 2), tokens per reply in and out,
//! and the share of input tokens served from cache, from the fake's bills and from the audit
//! trail's `llm_usage` (the two must agree).

use negotiator_agent::workflows::ingest::ingest;
use negotiator_store::{AuditFilter, EventType};
use negotiator_testkit::contract::llm::{CLASSIFY_TOOL, COMPOSE_TOOL, prose};
use negotiator_testkit::fakes::llm::{Billed, FakeLlm};
use negotiator_testkit::{Harness, campaign, llm};
use serde_json::{Value, json};

const CREATORS: usize = 12;

const ANTHROPIC: &str = "[anthropic]\nbase_url = \"{anthropic}\"\n";
const ANTHROPIC_SONNET: &str = "[anthropic]\nbase_url = \"{anthropic}\"\n\
    classify_model = \"claude-sonnet-4-5-20250929\"\n";
const OPENAI: &str = "[llm]\nclassify = \"openai\"\ncompose = \"openai\"\n\
    [openai]\nbase_url = \"{openai}\"\nmodel = \"qwen2.5:7b-instruct\"\n";

fn reading(intent: &str, rate: Option<&str>, summary: &str) -> Value {
    json!({
        "intent": intent, "proposed_rate": rate, "deliverables": ["instagram_reel"],
        "confidence": 90, "hostile": null, "legal": null, "unusual_deliverables": null,
        "summary": summary
    })
}

#[derive(Default)]
struct Totals {
    calls: usize,
    billed: Billed,
}

impl Totals {
    /// Adds one call (its prefix size is not a cost, so it is not summed).
    fn add(&mut self, b: &Billed) {
        self.calls += 1;
        self.billed.input += b.input;
        self.billed.output += b.output;
        self.billed.cache_write += b.cache_write;
        self.billed.cache_read += b.cache_read;
    }
}

async fn run(name: &str, toml: &str) -> Result<(), Box<dyn std::error::Error>> {
    let fake = FakeLlm::start().await;
    fake.record(COMPOSE_TOOL, [prose()]);
    let mut h = Harness::new().await;
    let mut roster = String::from(
        "name,email,platform,handle,average views,min rate,max rate,engagement rate\n",
    );
    let names: Vec<String> = (0..CREATORS).map(|i| format!("Creator {i:02}")).collect();
    for (i, name) in names.iter().enumerate() {
        roster.push_str(&format!(
            "{name},creator{i}@creator.example,instagram,@creator{i},50000,,,2.0%\n"
        ));
    }
    std::fs::write(&h.paths.roster, roster)?;
    // Wired after the roster is written: the CSV roster is read when it is opened.
    llm::rewire(&mut h, &llm::config(&fake, toml));
    ingest(
        &h.agent,
        &campaign("glow", "auto", &names.join(", ")),
        "file",
    )
    .await?;
    h.run().await;
    let openings = fake.billed().len();

    let rounds = [
        (
            "Thanks so much for thinking of me! For the reel my rate is $1,450.",
            reading("counter", Some("1450.00"), "They ask $1,450 for the reel."),
        ),
        (
            "Sounds great, let's do it!",
            reading("accept", None, "They accept our offer."),
        ),
    ];
    let mut replies = 0;
    for (text, answer) in rounds {
        fake.record(CLASSIFY_TOOL, [answer]);
        for (i, name) in names.iter().enumerate() {
            h.reply(name, &format!("creator{i}@creator.example"), text)
                .await;
            replies += 1;
        }
        h.run().await;
    }

    let requests = fake.requests();
    let billed = fake.billed();
    let mut per_reply = Totals::default();
    let (mut classify, mut compose) = (0, 0);
    for (request, b) in requests.iter().zip(&billed).skip(openings) {
        per_reply.add(b);
        match request.tool().as_deref() {
            Some(CLASSIFY_TOOL) => classify += 1,
            _ => compose += 1,
        }
    }
    let prefix = |tool: &str| {
        let sizes: Vec<u64> = requests
            .iter()
            .zip(&billed)
            .filter(|(r, _)| r.tool().as_deref() == Some(tool))
            .map(|(_, b)| b.prefix)
            .collect();
        sizes.iter().sum::<u64>() / (sizes.len().max(1) as u64)
    };
    let audit = audit_totals(&h).await;
    let b = per_reply.billed;
    let input = b.input + b.cache_write + b.cache_read;
    let replies_f = replies as f64;
    println!("\n== {name} ==");
    println!("openings: {CREATORS} creators, {openings} model calls");
    println!(
        "inbound replies: {replies}; model calls while answering them: {} ({classify} classify, {compose} compose)",
        per_reply.calls
    );
    println!(
        "LLM calls per inbound reply: {:.2} (goal <= 2)",
        per_reply.calls as f64 / replies_f
    );
    println!(
        "tokens per reply: {:.0} in ({:.0} uncached, {:.0} cache written, {:.0} cache read), {:.0} out",
        input as f64 / replies_f,
        b.input as f64 / replies_f,
        b.cache_write as f64 / replies_f,
        b.cache_read as f64 / replies_f,
        b.output as f64 / replies_f
    );
    println!(
        "static prefix (tools or schema, system prompt): classify {} tokens, compose {} tokens",
        prefix(CLASSIFY_TOOL),
        prefix(COMPOSE_TOOL)
    );
    println!(
        "share of input tokens served from cache: {:.1}%",
        if input == 0 {
            0.0
        } else {
            100.0 * b.cache_read as f64 / input as f64
        }
    );
    println!(
        "audit trail, whole run (openings included): {} calls, {} in, {} out, {} cache written, {} cache read",
        audit.calls,
        audit.billed.input,
        audit.billed.output,
        audit.billed.cache_write,
        audit.billed.cache_read
    );
    let mut all = Totals::default();
    billed.iter().for_each(|b| all.add(b));
    if audit.calls != all.calls || audit.billed != all.billed {
        return Err(format!(
            "the audit trail ({} calls) does not match the fake's bills ({} calls)",
            audit.calls,
            billed.len()
        )
        .into());
    }
    Ok(())
}

/// Every call's usage as the audit trail keeps it (`llm_usage` on each entry).
async fn audit_totals(h: &Harness) -> Totals {
    let filter = AuditFilter {
        limit: 100_000,
        ..AuditFilter::default()
    };
    let mut totals = Totals::default();
    let entries = h
        .agent
        .store
        .audit_entries(&filter)
        .await
        .unwrap_or_default();
    for entry in entries {
        // A draft's usage appears again when it is sent; count each email once.
        if entry.event_type == EventType::DraftCreated {
            continue;
        }
        for call in entry
            .metadata
            .get("llm_usage")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
        {
            let n = |k: &str| call[k].as_u64().unwrap_or(0);
            totals.add(&Billed {
                input: n("input_tokens"),
                output: n("output_tokens"),
                cache_write: n("cache_write_tokens"),
                cache_read: n("cache_read_tokens"),
                prefix: 0,
            });
        }
    }
    totals
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        run("Anthropic (Haiku 4.5 reads, Sonnet 4.5 writes)", ANTHROPIC).await?;
        run("Anthropic (Sonnet 4.5 reads and writes)", ANTHROPIC_SONNET).await?;
        run(
            "OpenAI-compatible server (one local model for both)",
            OPENAI,
        )
        .await
    })
}
