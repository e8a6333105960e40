//! The demo's bundled roster, campaign and scripted influencer replies.

use negotiator_domain::CampaignDraft;

pub const CAMPAIGN_ID: &str = "glow-spring";

/// The team's roster: nine influencers, one of whom the campaign does not list; Kai's address
/// no longer exists.
pub const ROSTER_CSV: &str = "\
Name,Email,Platform,Handle,Average Views,Min Rate,Max Rate,Engagement Rate
Jane Doe,jane@janedoe.example,Instagram,@janedoe,\"48,000\",$900,\"$1,600\",4.1%
Ben Carter,ben@bencarter.example,Instagram,@bencarter,\"52,000\",\"$1,000\",\"$1,800\",3.2%
Chloe Nguyen,chloe@chloe.example,Instagram,@chloecreates,\"65,000\",\"$1,500\",\"$3,500\",2.8%
Dev Patel,dev@devpatel.example,Instagram,@devpatel,\"41,000\",$800,\"$2,000\",5.5%
Emma Rossi,emma@emmarossi.example,Instagram,@emmarossi,\"70,000\",\"$1,400\",\"$2,400\",3.9%
Finn O'Brien,finn@finnobrien.example,Instagram,@finnob,\"38,000\",$700,\"$1,300\",2.1%
Gia Romano,gia@giaromano.example,Instagram,@giaromano,\"55,000\",\"$1,100\",\"$1,900\",4.8%
Ivy Chen,ivy@ivychen.example,Instagram,@ivychen,\"90,000\",\"$2,000\",\"$3,200\",3.0%
Kai Brooks,kai@kaibrooks.example,Instagram,@kaibrooks,\"30,000\",$500,\"$1,200\",3.5%
";

/// Ten influencers, one of them (Hugo Martin) missing from the roster. The seeding budget is
/// small: the opening offers together could pass it, and the notice says so; once Jane and Ben
/// have agreed, Ivy's acceptance would break it and goes to a person.
pub fn campaign() -> CampaignDraft {
    CampaignDraft {
        campaign_id: Some(CAMPAIGN_ID.to_owned()),
        client_name: Some("Glow Skincare".to_owned()),
        budget: Some("$4,100".to_owned()),
        platform: Some("instagram".to_owned()),
        deliverables: vec![
            "1 instagram reel".to_owned(),
            "2 instagram stories".to_owned(),
        ],
        cpm_target: Some("$25".to_owned()),
        cpm_leniency_pct: Some("20%".to_owned()),
        influencers: vec![
            "Jane Doe, Ben Carter, Chloe Nguyen, Dev Patel, Emma Rossi, Finn O'Brien, \
             Gia Romano, Ivy Chen, Kai Brooks, Hugo Martin"
                .to_owned(),
        ],
        timeline: Some("Content live by March 30".to_owned()),
        mode: Some("auto".to_owned()),
        ..CampaignDraft::default()
    }
}

/// One scripted email into the thread with an influencer.
#[derive(Debug, Clone, Copy)]
pub struct Reply {
    /// Whose thread it belongs to.
    pub influencer: &'static str,
    pub from_name: &'static str,
    pub from_address: &'static str,
    pub body: &'static str,
    /// What it shows, for the running commentary.
    pub shows: &'static str,
}

/// Day 1: six of the nine contacted answer; Gia's out-of-office answers for her, Kai's
/// address bounces, and Ivy stays silent for now.
pub const DAY_ONE: [Reply; 6] = [
    Reply {
        influencer: "Jane Doe",
        from_name: "Jane Doe",
        from_address: "jane@janedoe.example",
        body: "Hi Avery,\n\nSounds great, count me in! Looking forward to working with Glow.\n\nJane",
        shows: "accepts the opening offer",
    },
    Reply {
        influencer: "Ben Carter",
        from_name: "Ben Carter",
        from_address: "ben@bencarter.example",
        body: "Hey Avery,\n\nThanks for thinking of me! For a reel plus two stories my rate is $1,500.\n\nBen",
        shows: "counters inside the range",
    },
    Reply {
        influencer: "Chloe Nguyen",
        from_name: "Chloe Nguyen",
        from_address: "chloe@chloe.example",
        body: "Hi there,\n\nThanks for reaching out. My rate for this package is $3,000.\n\nBest,\nChloe",
        shows: "counters far above the ceiling",
    },
    Reply {
        influencer: "Dev Patel",
        from_name: "Dev Patel",
        from_address: "dev@devpatel.example",
        body: "Honestly this offer is insulting. Pay me $2,000 or stop wasting my time.",
        shows: "replies with a hostile tone",
    },
    Reply {
        influencer: "Emma Rossi",
        from_name: "Emma Rossi",
        from_address: "emma@emmarossi.example",
        body: "Hi Avery,\n\nThis could work. Before we go further, my lawyer needs to review the \
               contract and the exclusivity terms.\n\nThanks,\nEmma",
        shows: "brings in contract language",
    },
    Reply {
        influencer: "Finn O'Brien",
        from_name: "Sam Rivera",
        from_address: "sam@northstar.example",
        body: "Hi Finn, Sam from Northstar here. I'll take it from here: I'd love to jump on a \
               call this week to talk through the campaign.\n\nSam",
        shows: "a team member replies in the thread (human takeover)",
    },
];

/// Day 1, afternoon: Ben answers our counter and meets us.
pub const BEN_CLOSES: Reply = Reply {
    influencer: "Ben Carter",
    from_name: "Ben Carter",
    from_address: "ben@bencarter.example",
    body: "Thanks Avery. Can we meet at $1,450? Then we have a deal.\n\nBen",
    shows: "answers our counter",
};

/// Day 2: Ivy accepts our opening, but the deals agreed so far leave too little of the budget.
pub const IVY_ACCEPTS: Reply = Reply {
    influencer: "Ivy Chen",
    from_name: "Ivy Chen",
    from_address: "ivy@ivychen.example",
    body: "Hi Avery,\n\nThat works for me, I'm in!\n\nIvy",
    shows: "accepts, but the budget has too little left",
};

/// Day 1: Gia's out-of-office answers; she is back on Day 6 (`{back}` is filled in), so her
/// follow-up waits.
pub const GIA_AWAY: &str = "Thank you for your email. I am out of the office until {back} \
    with limited access to email, and will reply when I return.\n\nGia";

/// Day 1: the mail server for Kai's address says it does not exist.
pub const KAI_BOUNCES: (&str, &str) = (
    "5.1.1",
    "550 5.1.1 <kai@kaibrooks.example>: Recipient address rejected: User unknown",
);
