//! Audit store benchmark: fills a database with realistic audit rows the way the workflows
//! write them (each step's entries in a transaction of its own, `insert_audits`), then measures
//! page queries and (optionally) the `negotiator audit` command: a page,
//! and a CSV export of the whole trail.
//!
//! ```sh
//! cargo build --release -p negotiator-cli
//! cargo bench -p negotiator-store --bench audit_store -- --cli target/release/negotiator
//! ```
//!
//! Options (after `--`; relative paths are taken from the workspace root):
//!
//!   --db PATH       keep the database at PATH (reused, not refilled, if it already has the rows)
//!   --rows N        rows to fill (default 1,000,000)
//!   --callers N     concurrent writers while filling, each committing one workflow step (three
//!                   entries) at a time (default 4, the workers of a busy `negotiator serve`)
//!   --queries N     measured queries per shape (default 500)
//!   --cli PATH      also time `PATH --db DB audit --influencer NAME` as a whole process
//!   --cli-runs N    measured CLI runs (default 20)
//!   --export-runs N with --cli, also time N exports of every row, `PATH --db DB audit --format csv`
//!                   to /dev/null, with the process's peak resident set (default 3; 0 = off)
//!   --sweep N       afterwards, append N events at each of 1..64 writers (default 20000; 0 = off)
//!
//! Wall-clock figures depend on what else the machine is doing; the CPU time and bytes written
//! per event or query (from /proc, Linux only) show the cost itself.

use std::error::Error;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use jiff::Timestamp;
use negotiator_store::{
    AuditFilter, Db, Direction, EventType, NewAuditEntry, Store, insert_audits,
};
use serde_json::json;

type BoxError = Box<dyn Error + Send + Sync>;

/// Audit entries a workflow step writes in its transaction (a reply: received, a transition, an
/// email stored).
const STEP: usize = 3;
const INFLUENCERS: usize = 2_000;
const CAMPAIGNS: usize = 50;
/// 2025-01-01T00:00:00Z: the fill spreads rows over the year from here.
const YEAR_START_MS: i64 = 1_735_689_600_000;
const YEAR_MS: i64 = 365 * DAY_MS;
const DAY_MS: i64 = 86_400_000;
const PAGE: u32 = 50;

#[derive(Debug)]
struct Options {
    db: Option<PathBuf>,
    rows: u64,
    callers: usize,
    queries: usize,
    cli: Option<PathBuf>,
    cli_runs: usize,
    export_runs: usize,
    sweep: u64,
}

fn parse_options() -> Result<Options, BoxError> {
    let mut options = Options {
        db: None,
        rows: 1_000_000,
        callers: 4,
        queries: 500,
        cli: None,
        cli_runs: 20,
        export_runs: 3,
        sweep: 20_000,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            // `cargo bench` passes `--bench` to every bench binary.
            "--bench" => {}
            "--db" => options.db = Some(from_workspace(value()?)),
            "--rows" => options.rows = value()?.replace('_', "").parse()?,
            "--callers" => options.callers = value()?.parse()?,
            "--queries" => options.queries = value()?.parse()?,
            "--cli" => options.cli = Some(from_workspace(value()?)),
            "--cli-runs" => options.cli_runs = value()?.parse()?,
            "--export-runs" => options.export_runs = value()?.parse()?,
            "--sweep" => options.sweep = value()?.replace('_', "").parse()?,
            "--help" | "-h" => {
                println!(
                    "audit_store [--db PATH] [--rows N] [--callers N] [--queries N] \
                     [--cli PATH] [--cli-runs N] [--export-runs N] [--sweep N]"
                );
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument `{other}`; see --help").into()),
        }
    }
    if options.callers == 0 || options.queries == 0 {
        return Err("--callers and --queries must be at least 1".into());
    }
    if let Some(cli) = &options.cli
        && !cli.is_file()
    {
        return Err(format!(
            "--cli {}: no such file; build it with `cargo build --release -p negotiator-cli` \
             (with CARGO_TARGET_DIR set it is under that directory)",
            cli.display()
        )
        .into());
    }
    Ok(options)
}

/// `cargo bench` runs this binary in `crates/store`, so a relative path is taken from the
/// workspace root, where the command was most likely typed.
fn from_workspace(path: String) -> PathBuf {
    let path = PathBuf::from(path);
    if path.is_absolute() {
        return path;
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

fn main() -> Result<(), BoxError> {
    let options = parse_options()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(run(options))
}

async fn run(options: Options) -> Result<(), BoxError> {
    let temp = tempfile::tempdir()?;
    let path = match &options.db {
        Some(path) => path.clone(),
        None => temp.path().join("bench.db"),
    };
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    println!("audit_store benchmark");
    println!("  database   {} ({})", path.display(), filesystem_of(&path));
    println!(
        "  machine    {cores} cores, load average {}",
        load_average()
    );

    let store = Store::open(&path).await?;
    let durability = durability(&store).await?;
    println!("  durability {durability}");

    let data = Arc::new(Data::new());
    let mut results = Vec::new();

    // ---- fill (and insert throughput) ------------------------------------------------------
    let existing = store.count_audit_entries(&AuditFilter::default()).await?;
    if existing >= options.rows {
        println!(
            "\nreusing {} existing rows (insert throughput not measured; use a fresh --db)",
            thousands(existing)
        );
        results.push(Row::skipped("insert throughput, workflow steps", "–"));
    } else {
        let to_add = options.rows - existing;
        println!(
            "\nfilling {} rows as workflow steps ({STEP} entries a transaction) from {} writers ...",
            thousands(to_add),
            options.callers
        );
        let fill = fill(
            &store,
            &data,
            existing,
            to_add,
            options.rows,
            options.callers,
        )
        .await?;
        println!(
            "filled in {:.1} s: {} events/s; step latency p50 {:.1} ms, p99 {:.1} ms",
            fill.elapsed.as_secs_f64(),
            thousands(fill.rate() as u64),
            ms(fill.latency.p50),
            ms(fill.latency.p99),
        );
        println!("  {}", fill.cost(cores));
        results.push(Row {
            name: format!("insert throughput, steps x{} writers", options.callers),
            measured: format!("{} ev/s", thousands(fill.rate() as u64)),
            target: "–".to_owned(),
            ok: None,
        });
    }
    let total = store.count_audit_entries(&AuditFilter::default()).await?;
    let size = file_size(&path);
    println!(
        "database: {} rows, {:.0} MiB (+ {:.0} MiB WAL)",
        thousands(total),
        size.0 as f64 / 1_048_576.0,
        size.1 as f64 / 1_048_576.0
    );

    // ---- query plans ---------------------------------------------------------------------
    println!("\nquery plans (EXPLAIN QUERY PLAN; no temp B-tree means the index serves ORDER BY):");
    for (name, plan) in query_plans(&store).await? {
        println!("  {name:<12} {plan}");
    }

    // ---- page queries ----------------------------------------------------------------------
    println!(
        "\npage queries: {} per shape (after 50 warm-up), page of {PAGE}, random keys, one at a \
         time",
        options.queries
    );
    let shapes: [(&str, f64, Shape); 3] = [
        ("by influencer", 1.0, Shape::Influencer),
        ("by campaign", 2.0, Shape::CampaignRow),
        ("7-day range", 0.4, Shape::Week),
    ];
    for (name, target_ms, shape) in shapes {
        let q = measure_queries(&store, &data, shape, options.queries).await?;
        println!(
            "  {name:<14} p50 {:.3} ms  p99 {:.3} ms  max {:.3} ms  ({:.1} rows/page; {:.3} ms \
             CPU/query, all threads)",
            ms(q.latency.p50),
            ms(q.latency.p99),
            ms(q.latency.max),
            q.avg_rows,
            ms(q.cpu_per_query),
        );
        results.push(Row {
            name: format!("audit_entries {name}, p50 / p99"),
            measured: format!("{:.3} / {:.3} ms", ms(q.latency.p50), ms(q.latency.p99)),
            target: format!("p99 < {target_ms} ms"),
            ok: Some(ms(q.latency.p99) < target_ms),
        });
    }

    // ---- opening the store ---------------------------------------------------------------
    store.close().await;
    drop(store);
    let (open, first_page) = measure_open(&path, &data).await?;
    println!(
        "\nStore::open on this database, 20 times: p50 {:.2} ms, p99 {:.2} ms; then the first page \
         by influencer: p50 {:.2} ms, p99 {:.2} ms",
        ms(open.p50),
        ms(open.p99),
        ms(first_page.p50),
        ms(first_page.p99)
    );
    results.push(Row {
        name: "Store::open, p50 / p99".to_owned(),
        measured: format!("{:.2} / {:.2} ms", ms(open.p50), ms(open.p99)),
        target: "(context)".to_owned(),
        ok: None,
    });

    // ---- the CLI -------------------------------------------------------------------------
    if let Some(cli) = &options.cli {
        let runs = measure_cli(cli, &path, &data, options.cli_runs)?;
        println!(
            "\n`{} --db DB audit --influencer NAME`, {} runs (after 2 warm-up): p50 {:.1} ms, \
             p99 {:.1} ms, max {:.1} ms",
            cli.display(),
            options.cli_runs,
            ms(runs.p50),
            ms(runs.p99),
            ms(runs.max)
        );
        results.push(Row {
            name: "CLI `audit --influencer`, p50 / p99".to_owned(),
            measured: format!("{:.1} / {:.1} ms", ms(runs.p50), ms(runs.p99)),
            target: "p99 < 20 ms".to_owned(),
            ok: Some(ms(runs.p99) < 20.0),
        });
        for run in 1..=options.export_runs {
            let export = measure_export(cli, &path)?;
            let rate = total as f64 / export.elapsed.as_secs_f64();
            let peak = export.peak_rss_kib as f64 / 1024.0;
            println!(
                "`{} --db DB audit --format csv > /dev/null`, run {run}: {} rows in {:.2} s, {} \
                 rows/s, peak RSS {peak:.1} MiB",
                cli.display(),
                thousands(total),
                export.elapsed.as_secs_f64(),
                thousands(rate as u64),
            );
            results.push(Row {
                name: format!("CLI `audit --format csv`, all rows, run {run}"),
                measured: format!("{} rows/s, {peak:.1} MiB", thousands(rate as u64)),
                target: "(context)".to_owned(),
                ok: None,
            });
        }
    } else {
        results.push(Row::skipped(
            "CLI `audit --influencer` (pass --cli PATH)",
            "p99 < 20 ms",
        ));
    }

    // ---- workflow-step writes at other concurrencies ------------------------------------
    if options.sweep > 0 {
        println!(
            "\nwrites vs concurrent writers: {} more events per level, appended to the filled \
             database",
            thousands(options.sweep)
        );
        let store = Store::open(&path).await?;
        let mut next = store.count_audit_entries(&AuditFilter::default()).await?;
        for callers in [1, 4, 16, 64] {
            // Timestamps continue the filled year; a single caller gets fewer events.
            let count = if callers == 1 {
                options.sweep.min(500)
            } else {
                options.sweep
            };
            let fill = fill(&store, &data, next, count, options.rows, callers).await?;
            next += count;
            println!(
                "  {callers:>5} writers: {:>7} ev/s  step p50 {:>6.1} ms  p99 {:>6.1} ms  \
                 ({})",
                thousands(fill.rate() as u64),
                ms(fill.latency.p50),
                ms(fill.latency.p99),
                fill.cost(cores)
            );
            results.push(Row {
                name: format!("  insert throughput, x{callers} writers"),
                measured: format!("{} ev/s", thousands(fill.rate() as u64)),
                target: "(context)".to_owned(),
                ok: None,
            });
        }
        store.close().await;
    }

    print_results(&results, total, &durability);
    if let Some(db) = &options.db {
        println!("database kept at {}", db.display());
    }
    Ok(())
}

// ---- synthetic data ----------------------------------------------------------------------------

/// SplitMix64: tiny, deterministic, good enough for synthetic data.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const FIRST: [&str; 50] = [
    "Ava", "Liam", "Mia", "Noah", "Zoe", "Ethan", "Lena", "Omar", "Priya", "Lucas", "Chloe",
    "Mateo", "Aisha", "Jonas", "Sofia", "Kenji", "Maya", "Diego", "Elena", "Hugo", "Isla", "Ravi",
    "Nora", "Felix", "Yara", "Theo", "Amara", "Leo", "Ines", "Kai", "Lucia", "Finn", "Sara",
    "Ivan", "Hana", "Oscar", "Lila", "Tariq", "Emma", "Jude", "Aria", "Nico", "Rosa", "Elias",
    "Mina", "Axel", "Clara", "Dev", "Freya", "Malik",
];
const LAST: [&str; 40] = [
    "Nguyen", "Garcia", "Smith", "Okafor", "Müller", "Rossi", "Kim", "Patel", "Silva", "Cohen",
    "Novak", "Ibrahim", "Larsen", "Dubois", "Tanaka", "Reyes", "O'Brien", "Kowalski", "Haddad",
    "Fischer", "Moreau", "Santos", "Ali", "Jensen", "Costa", "Yilmaz", "Park", "Brown", "Lopez",
    "Schmidt", "Ahmed", "Bianchi", "Chen", "Murphy", "Sato", "Wright", "Varga", "Hughes", "Diaz",
    "Stone",
];
const BRANDS: [&str; 10] = [
    "glow", "peak", "lumen", "verde", "nova", "brisk", "aura", "tide", "ember", "orbit",
];
const SEASONS: [&str; 5] = ["spring", "summer", "autumn", "winter", "holiday"];
const STATES: [&str; 8] = [
    "initial_outreach",
    "awaiting_reply",
    "countered",
    "negotiating",
    "agreed",
    "escalated",
    "human_controlled",
    "closed_no_deal",
];
const INTENTS: [&str; 6] = [
    "accept",
    "counter_offer",
    "question",
    "decline",
    "out_of_office",
    "needs_human",
];
const PARAGRAPHS: [&str; 8] = [
    "We loved your recent posts and think your audience is a great fit for the campaign. The brief \
     asks for one dedicated video and two stories over the launch fortnight, with usage rights for \
     thirty days on the brand's own channels. ",
    "Thanks for getting back to us so quickly. We have looked at the numbers again with the client \
     and can move a little on the rate, but the deliverables and the posting window would need to \
     stay as described in the original brief. ",
    "Following up on our last email in case it got buried. The client is finalising the creator \
     list this week, so a quick yes, no or counter would help us keep a spot for you. Happy to jump \
     on a call if that is easier. ",
    "Appreciate the detailed reply. Exclusivity for ninety days is more than the client needs; we \
     can drop it to thirty days in the beauty category only, which should leave your other \
     partnerships untouched. ",
    "Great news, we are happy to confirm the deal at the rate below. Contracts and the creative \
     brief will follow from the account team within two business days, and payment is net thirty \
     from the posting date. ",
    "Hi team, thanks for the offer. My usual rate for a dedicated video is a bit higher given my \
     recent view counts, and I would need the product by the end of the month to film in time. \
     Could we meet somewhere in the middle? ",
    "Hello! I am travelling until next week with limited access to email. I will get back to you as \
     soon as I return; for anything urgent please contact my manager directly at the address \
     below. ",
    "Sounds good to me. Please send over the contract and the shipping details for the product. I \
     can post in the second week of the window, and I am happy with the usage terms as proposed. ",
];

/// The fixed universe the rows are drawn from.
#[derive(Debug)]
struct Data {
    influencers: Vec<String>,
    campaigns: Vec<String>,
    /// For each influencer, the campaigns they take part in (indices into `campaigns`).
    memberships: Vec<[usize; 4]>,
}

impl Data {
    fn new() -> Self {
        let mut influencers = Vec::with_capacity(INFLUENCERS);
        for first in FIRST {
            for last in LAST {
                influencers.push(format!("{first} {last}"));
            }
        }
        let mut campaigns = Vec::with_capacity(CAMPAIGNS);
        for brand in BRANDS {
            for season in SEASONS {
                campaigns.push(format!("{brand}-{season}-2025"));
            }
        }
        let memberships = (0..influencers.len())
            .map(|i| {
                let mut rng = Rng::new(0xC0FFEE + i as u64);
                std::array::from_fn(|_| rng.below(CAMPAIGNS))
            })
            .collect();
        Data {
            influencers,
            campaigns,
            memberships,
        }
    }

    /// Row `i` of `rows`: deterministic, roughly in time order.
    fn entry(&self, i: u64, rows: u64) -> NewAuditEntry {
        let mut rng = Rng::new(i);
        let who = rng.below(self.influencers.len());
        let name = &self.influencers[who];
        let campaign = self.memberships[who][rng.below(4)];
        let thread = format!("thread-{who:04}-{campaign:02}");
        let jitter = rng.below(3_600_000) as i64 - 1_800_000;
        let t =
            (YEAR_START_MS + (i as i128 * YEAR_MS as i128 / rows.max(1) as i128) as i64 + jitter)
                .clamp(YEAR_START_MS, YEAR_START_MS + YEAR_MS - 1);
        let at = Timestamp::from_millisecond(t).unwrap_or(Timestamp::UNIX_EPOCH);
        let roll = rng.below(1_000);
        let event = match roll {
            0..280 => EventType::EmailSent,
            280..520 => EventType::EmailReceived,
            520..740 => EventType::StateTransition,
            740..800 => EventType::FollowUp,
            800..850 => EventType::DraftCreated,
            850..880 => EventType::DraftApproved,
            880..920 => EventType::Escalation,
            920..950 => EventType::Agreement,
            950..970 => EventType::HumanAction,
            970..980 => EventType::Takeover,
            980..990 => EventType::CampaignStart,
            990..995 => EventType::CampaignInfluencerSkip,
            _ => EventType::Error,
        };
        let cents = 50_000 + rng.below(400) as i64 * 500;
        let round = rng.below(4) as i64;
        let state = *rng.pick(&STATES);
        let mut e = NewAuditEntry::new(at, event)
            .influencer(name.as_str())
            .campaign(self.campaigns[campaign].as_str());
        match event {
            EventType::EmailSent | EventType::FollowUp | EventType::DraftCreated => {
                e = e
                    .thread(thread)
                    .direction(Direction::Sent)
                    .email_body(body(&mut rng, name, cents))
                    .negotiation_state(state)
                    .rates_used(format!(
                        "offer ${}.{:02} at CPM ${}.00",
                        cents / 100,
                        cents % 100,
                        18 + round * 2
                    ))
                    .meta("offer_cents", cents)
                    .meta("round", round)
                    .meta("message_id", format!("<{i:x}.{who}@negotiator.local>"));
            }
            EventType::EmailReceived => {
                let intent = *rng.pick(&INTENTS);
                e = e
                    .thread(thread)
                    .direction(Direction::Received)
                    .email_body(body(&mut rng, name, cents))
                    .intent(intent)
                    .negotiation_state(state)
                    .meta("intent_confidence", 0.5 + rng.below(50) as f64 / 100.0)
                    .meta("asked_cents", cents + 10_000)
                    .meta("classifier", "rules");
            }
            EventType::StateTransition => {
                e = e
                    .thread(thread)
                    .negotiation_state(state)
                    .meta("from", *rng.pick(&STATES))
                    .meta("to", state)
                    .meta("trigger", "reply_classified");
            }
            EventType::Escalation => {
                e = e
                    .thread(thread)
                    .negotiation_state("escalated")
                    .meta(
                        "reason",
                        "asked rate above the CPM ceiling after the last concession",
                    )
                    .meta("asked_cents", cents * 2);
            }
            EventType::Agreement => {
                e = e
                    .thread(thread)
                    .negotiation_state("agreed")
                    .rates_used(format!("${}.{:02}", cents / 100, cents % 100))
                    .meta("agreed_cents", cents)
                    .meta("rounds", round + 1);
            }
            _ => {
                e = e
                    .meta("actor", "agent")
                    .meta("detail", json!({"round": round}));
            }
        }
        e
    }
}

/// An email body of about 500 characters.
fn body(rng: &mut Rng, name: &str, cents: i64) -> String {
    let first = name.split(' ').next().unwrap_or(name);
    let mut text = format!(
        "Hi {first},\n\n{}{}\nProposed rate: ${}.{:02} for the package.\n\nBest,\nThe partnerships team",
        rng.pick(&PARAGRAPHS),
        rng.pick(&PARAGRAPHS),
        cents / 100,
        cents % 100
    );
    if let Some((cut, _)) = text.char_indices().nth(500) {
        text.truncate(cut);
    }
    text
}

// ---- measurements ------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy)]
struct Latency {
    p50: Duration,
    p99: Duration,
    max: Duration,
}

fn latency(mut samples: Vec<Duration>) -> Latency {
    samples.sort_unstable();
    let at = |q: f64| {
        if samples.is_empty() {
            return Duration::ZERO;
        }
        // Nearest rank.
        let rank = ((q * samples.len() as f64).ceil() as usize).clamp(1, samples.len());
        samples[rank - 1]
    };
    Latency {
        p50: at(0.50),
        p99: at(0.99),
        max: samples.last().copied().unwrap_or_default(),
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1_000.0
}

#[derive(Debug)]
struct Fill {
    events: u64,
    elapsed: Duration,
    latency: Latency,
    /// What this process used while filling.
    usage: Usage,
}

impl Fill {
    fn rate(&self) -> f64 {
        self.events as f64 / self.elapsed.as_secs_f64()
    }

    /// CPU and bytes written per event.
    fn cost(&self, cores: usize) -> String {
        let events = self.events.max(1) as f64;
        format!(
            "per event {:.1} µs CPU, {:.1} KiB written; process used {:.0}% of {cores} cores",
            self.usage.cpu.as_secs_f64() * 1e6 / events,
            self.usage.written as f64 / 1024.0 / events,
            self.usage.cpu.as_secs_f64() * 100.0 / self.elapsed.as_secs_f64() / cores as f64,
        )
    }
}

/// Records events `first..first + count` (of a year spread over `year_rows` events) from
/// `callers` concurrent tasks, each committing a workflow step's entries (a transaction of its
/// own) and waiting for it to be durable before the next.
async fn fill(
    store: &Store,
    data: &Arc<Data>,
    first: u64,
    count: u64,
    year_rows: u64,
    callers: usize,
) -> Result<Fill, BoxError> {
    let rows = first + count;
    let report_progress = count >= 100_000;
    let next = Arc::new(AtomicU64::new(first));
    let done = Arc::new(AtomicU64::new(0));
    let usage_before = Usage::now();
    let started = Instant::now();

    let progress = {
        let done = Arc::clone(&done);
        tokio::spawn(async move {
            let mut last = 0;
            let mut last_at = Instant::now();
            loop {
                tokio::time::sleep(Duration::from_secs(2)).await;
                if !report_progress {
                    continue;
                }
                let now_done = done.load(Ordering::Relaxed);
                let rate = (now_done - last) as f64 / last_at.elapsed().as_secs_f64();
                println!(
                    "  {:>9} / {} rows  ({:.0}%, {} ev/s now)",
                    thousands(now_done),
                    thousands(count),
                    now_done as f64 * 100.0 / count as f64,
                    thousands(rate as u64)
                );
                last = now_done;
                last_at = Instant::now();
            }
        })
    };

    let mut tasks = Vec::with_capacity(callers);
    for _ in 0..callers {
        let store = store.clone();
        let data = Arc::clone(data);
        let next = Arc::clone(&next);
        let done = Arc::clone(&done);
        tasks.push(tokio::spawn(async move {
            let mut samples = Vec::new();
            loop {
                let first = next.fetch_add(STEP as u64, Ordering::Relaxed);
                if first >= rows {
                    break;
                }
                let entries: Vec<NewAuditEntry> = (first..(first + STEP as u64).min(rows))
                    .map(|i| data.entry(i, year_rows))
                    .collect();
                let t = Instant::now();
                let mut tx = store.begin_write().await?;
                insert_audits(&mut tx, &entries).await?;
                tx.commit().await?;
                samples.push(t.elapsed());
                done.fetch_add(entries.len() as u64, Ordering::Relaxed);
            }
            Ok::<_, negotiator_store::StoreError>(samples)
        }));
    }
    let mut samples = Vec::with_capacity(count as usize);
    for task in tasks {
        samples.extend(task.await??);
    }
    let elapsed = started.elapsed();
    progress.abort();
    Ok(Fill {
        events: count,
        elapsed,
        latency: latency(samples),
        usage: Usage::now().since(usage_before),
    })
}

/// CPU time and bytes written by this process (Linux `/proc`; zeros elsewhere). Unlike wall
/// time, these hardly depend on what else the machine is doing, so they show the cost per event
/// even on a busy machine.
#[derive(Debug, Clone, Copy, Default)]
struct Usage {
    /// User + system CPU time of all threads.
    cpu: Duration,
    /// Bytes handed to `write`/`pwrite` (WAL frames, checkpoint copies).
    written: u64,
}

impl Usage {
    fn now() -> Self {
        // utime and stime are fields 14 and 15 of /proc/self/stat, in clock ticks (USER_HZ,
        // 100 on Linux); the file name field before them may hold spaces, so count from `)`.
        let cpu = std::fs::read_to_string("/proc/self/stat")
            .ok()
            .and_then(|stat| {
                let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
                let ticks =
                    fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
                Some(Duration::from_millis(ticks * 10))
            })
            .unwrap_or_default();
        let written = std::fs::read_to_string("/proc/self/io")
            .ok()
            .and_then(|io| {
                io.lines()
                    .find_map(|line| line.strip_prefix("wchar:"))
                    .and_then(|v| v.trim().parse().ok())
            })
            .unwrap_or_default();
        Usage { cpu, written }
    }

    fn since(self, before: Usage) -> Usage {
        Usage {
            cpu: self.cpu.saturating_sub(before.cpu),
            written: self.written.saturating_sub(before.written),
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Shape {
    Influencer,
    CampaignRow,
    Week,
}

#[derive(Debug)]
struct Queries {
    latency: Latency,
    avg_rows: f64,
    /// Process CPU time (all threads) per query.
    cpu_per_query: Duration,
}

fn filter_for(shape: Shape, data: &Data, rng: &mut Rng) -> AuditFilter {
    match shape {
        Shape::Influencer => {
            let name = rng.pick(&data.influencers);
            // Half the look-ups in lower case: the match is case-insensitive.
            let name = if rng.below(2) == 0 {
                name.to_ascii_lowercase()
            } else {
                name.clone()
            };
            AuditFilter {
                influencer: Some(name),
                limit: PAGE,
                ..AuditFilter::default()
            }
        }
        Shape::CampaignRow => AuditFilter {
            campaign: Some(rng.pick(&data.campaigns).clone()),
            limit: PAGE,
            ..AuditFilter::default()
        },
        Shape::Week => {
            let start = YEAR_START_MS + (rng.next() % (YEAR_MS - 7 * DAY_MS) as u64) as i64;
            AuditFilter {
                from: Timestamp::from_millisecond(start).ok(),
                to: Timestamp::from_millisecond(start + 7 * DAY_MS).ok(),
                limit: PAGE,
                ..AuditFilter::default()
            }
        }
    }
}

async fn measure_queries(
    store: &Store,
    data: &Data,
    shape: Shape,
    queries: usize,
) -> Result<Queries, BoxError> {
    let mut rng = Rng::new(0xBEEF ^ shape as u64);
    for _ in 0..50 {
        store
            .audit_entries(&filter_for(shape, data, &mut rng))
            .await?;
    }
    let mut samples = Vec::with_capacity(queries);
    let mut rows = 0;
    let before = Usage::now();
    for _ in 0..queries {
        let filter = filter_for(shape, data, &mut rng);
        let t = Instant::now();
        let page = store.audit_entries(&filter).await?;
        samples.push(t.elapsed());
        rows += page.len();
    }
    let used = Usage::now().since(before);
    Ok(Queries {
        latency: latency(samples),
        avg_rows: rows as f64 / queries as f64,
        cpu_per_query: used.cpu / u32::try_from(queries).unwrap_or(u32::MAX),
    })
}

/// `Store::open` on the filled database, then the first page on the fresh store (cold statement
/// cache), as a one-shot command does. Closing is not timed.
async fn measure_open(path: &Path, data: &Data) -> Result<(Latency, Latency), BoxError> {
    let mut rng = Rng::new(0x0FE2);
    let mut opens = Vec::new();
    let mut pages = Vec::new();
    for i in 0..22 {
        let filter = filter_for(Shape::Influencer, data, &mut rng);
        let t = Instant::now();
        let store = Store::open(path).await?;
        let opened = t.elapsed();
        store.audit_entries(&filter).await?;
        let paged = t.elapsed() - opened;
        store.close().await;
        drop(store);
        if i >= 2 {
            opens.push(opened);
            pages.push(paged);
        }
    }
    Ok((latency(opens), latency(pages)))
}

fn measure_cli(cli: &Path, db: &Path, data: &Data, runs: usize) -> Result<Latency, BoxError> {
    let mut rng = Rng::new(0xC11);
    let mut samples = Vec::with_capacity(runs);
    for i in 0..runs + 2 {
        let name = rng.pick(&data.influencers);
        let t = Instant::now();
        let output = Command::new(cli)
            .arg("--db")
            .arg(db)
            .args(["audit", "--influencer", name])
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run {}: {e}", cli.display()))?;
        let elapsed = t.elapsed();
        if !output.status.success() {
            return Err(format!(
                "{} failed ({}): {}",
                cli.display(),
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            )
            .into());
        }
        if i >= 2 {
            samples.push(elapsed);
        }
    }
    Ok(latency(samples))
}

/// One export of the whole trail by the CLI.
#[derive(Debug)]
struct Export {
    elapsed: Duration,
    /// The highest VmHWM seen while it ran (0 where /proc is unavailable).
    peak_rss_kib: u64,
}

/// Runs `cli --db DB audit --format csv` with its output thrown away, polling its peak resident
/// set (`VmHWM`, a high-water mark, so a poll misses only what the last 10 ms before exit add).
fn measure_export(cli: &Path, db: &Path) -> Result<Export, BoxError> {
    let started = Instant::now();
    let mut child = Command::new(cli)
        .arg("--db")
        .arg(db)
        .args(["audit", "--format", "csv"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", cli.display()))?;
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_rss_kib = 0;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        peak_rss_kib = peak_rss_kib.max(high_water_kib(&status_file));
        std::thread::sleep(Duration::from_millis(10));
    };
    let elapsed = started.elapsed();
    if !status.success() {
        return Err(format!("{} audit --format csv failed ({status})", cli.display()).into());
    }
    Ok(Export {
        elapsed,
        peak_rss_kib,
    })
}

/// The `VmHWM` line of a `/proc/PID/status` file, in KiB; 0 if it cannot be read.
fn high_water_kib(status_file: &str) -> u64 {
    std::fs::read_to_string(status_file)
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|kib| kib.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or_default()
}

// ---- introspection -----------------------------------------------------------------------------

async fn durability(store: &Store) -> Result<String, BoxError> {
    // The settings of the connections the workflows write on.
    let (journal, synchronous) = (&mut store.write().await?).with(|conn| {
        let journal: String = conn.query_row("PRAGMA journal_mode", [], |row| row.get(0))?;
        let synchronous: i64 = conn.query_row("PRAGMA synchronous", [], |row| row.get(0))?;
        Ok((journal, synchronous))
    })?;
    let synchronous = match synchronous {
        0 => "OFF",
        1 => "NORMAL",
        2 => "FULL",
        3 => "EXTRA",
        _ => "?",
    };
    Ok(format!(
        "journal_mode={journal}, synchronous={synchronous}: every step returns only after \
         the commit holding its event is fsynced"
    ))
}

async fn query_plans(store: &Store) -> Result<Vec<(&'static str, String)>, BoxError> {
    let shapes: [(&str, &str, Vec<Option<String>>); 4] = [
        (
            "influencer",
            include_str!("../queries/audit_page_by_influencer.sql"),
            vec![Some("Ava Nguyen".to_owned()), None, None, None],
        ),
        (
            "campaign",
            include_str!("../queries/audit_page_by_campaign.sql"),
            vec![Some("glow-spring-2025".to_owned()), None, None],
        ),
        (
            // A thread, through the influencer of the negotiation that owns it.
            "thread",
            include_str!("../queries/audit_page_by_influencer.sql"),
            vec![
                Some("Ava Nguyen".to_owned()),
                None,
                Some("thread-0001-01".to_owned()),
                None,
            ],
        ),
        (
            "time range",
            include_str!("../queries/audit_page_by_time.sql"),
            vec![None, None],
        ),
    ];
    let mut plans = Vec::new();
    for (name, sql, texts) in shapes {
        // Parameters: the driving key (if any), then from, to, then optional filters, then limit.
        let mut texts = texts.into_iter();
        let mut query = sqlx::query_as::<_, (i64, i64, i64, String)>(sqlx::AssertSqlSafe(format!(
            "EXPLAIN QUERY PLAN {sql}"
        )));
        if name != "time range" {
            query = query.bind(texts.next().flatten());
        }
        query = query.bind(YEAR_START_MS).bind(YEAR_START_MS + 7 * DAY_MS);
        for text in texts {
            query = query.bind(text);
        }
        query = query.bind(i64::from(PAGE));
        let rows = query.fetch_all(store.pool()).await?;
        let plan = rows
            .into_iter()
            .map(|(_, _, _, detail)| detail)
            .collect::<Vec<_>>()
            .join("; ");
        plans.push((name, plan));
    }
    Ok(plans)
}

fn file_size(path: &Path) -> (u64, u64) {
    let size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    (size(path), size(Path::new(&wal)))
}

/// The file system type holding `path`, from /proc/mounts (Linux), for the durability note.
fn filesystem_of(path: &Path) -> String {
    let dir = path
        .parent()
        .and_then(|p| std::fs::canonicalize(p).ok())
        .unwrap_or_else(|| PathBuf::from("/"));
    let Ok(mounts) = std::fs::read_to_string("/proc/mounts") else {
        return "file system unknown".to_owned();
    };
    mounts
        .lines()
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            let device = fields.next()?;
            let mount = fields.next()?;
            let fs = fields.next()?;
            dir.starts_with(mount)
                .then(|| (mount.len(), format!("{fs} on {device}")))
        })
        .max_by_key(|(len, _)| *len)
        .map_or_else(|| "file system unknown".to_owned(), |(_, fs)| fs)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "unknown".to_owned())
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

// ---- the results table -------------------------------------------------------------------------

#[derive(Debug)]
struct Row {
    name: String,
    measured: String,
    target: String,
    ok: Option<bool>,
}

impl Row {
    fn skipped(name: &str, target: &str) -> Self {
        Row {
            name: name.to_owned(),
            measured: "not run".to_owned(),
            target: target.to_owned(),
            ok: None,
        }
    }
}

fn print_results(results: &[Row], rows: u64, durability: &str) {
    let width = |f: fn(&Row) -> &str, title: &str| {
        results
            .iter()
            .map(|r| f(r).chars().count())
            .chain([title.chars().count()])
            .max()
            .unwrap_or(0)
    };
    let (w1, w2, w3) = (
        width(|r| &r.name, "measurement"),
        width(|r| &r.measured, "measured"),
        width(|r| &r.target, "target"),
    );
    println!("\nresults ({} audit rows; {durability})", thousands(rows));
    println!("  load average now: {}", load_average());
    let line = format!("  {}", "-".repeat(w1 + w2 + w3 + 12));
    println!("{line}");
    println!(
        "  {:<w1$}  {:>w2$}  {:<w3$}  verdict",
        "measurement", "measured", "target"
    );
    println!("{line}");
    for r in results {
        let verdict = match r.ok {
            Some(true) => "ok",
            Some(false) => "MISSED",
            None => "-",
        };
        println!(
            "  {:<w1$}  {:>w2$}  {:<w3$}  {verdict}",
            r.name, r.measured, r.target
        );
    }
    println!("{line}");
}
