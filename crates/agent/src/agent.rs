//! The running agent: the store, the adapters behind each port, the settings and the clock.

use std::sync::Arc;

use jiff::Timestamp;
use negotiator_store::Store;

use crate::campaigns::CampaignCache;
use crate::ports::campaign_source::CampaignSource;
use crate::ports::classifier::Classifier;
use crate::ports::clock::Clock;
use crate::ports::composer::Composer;
use crate::ports::mailbox::Mailbox;
use crate::ports::notifier::Notifier;
use crate::ports::roster::Roster;
use crate::settings::Settings;

/// One adapter per port.
#[derive(Clone)]
pub struct Adapters {
    pub roster: Arc<dyn Roster>,
    pub mailbox: Arc<dyn Mailbox>,
    pub notifier: Arc<dyn Notifier>,
    pub classifier: Arc<dyn Classifier>,
    pub composer: Arc<dyn Composer>,
    /// Where the campaigns the service is told about are fetched from (ClickUp's form), when
    /// configured; campaign files are read by `negotiator campaign import` on their own.
    pub campaign_source: Option<Arc<dyn CampaignSource>>,
}

impl Adapters {
    /// What each port runs on, for start-up messages: `(port, description)`.
    pub fn describe(&self) -> Vec<(&'static str, String)> {
        vec![
            ("roster", self.roster.describe()),
            ("mailbox", self.mailbox.describe()),
            ("notifier", self.notifier.describe()),
            ("classifier", self.classifier.describe()),
            ("composer", self.composer.describe()),
            (
                "campaign source",
                match &self.campaign_source {
                    Some(source) => format!("{}, and campaign files", source.describe()),
                    None => "campaign files (`negotiator campaign import`)".to_owned(),
                },
            ),
        ]
    }
}

impl std::fmt::Debug for Adapters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.describe()).finish()
    }
}

/// Everything a workflow needs. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Agent {
    pub store: Store,
    pub adapters: Adapters,
    pub settings: Arc<Settings>,
    pub clock: Arc<dyn Clock>,
    /// The campaigns' parsed specs, shared by the agent's clones.
    pub campaigns: CampaignCache,
}

impl Agent {
    pub fn new(
        store: Store,
        adapters: Adapters,
        settings: Settings,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Agent {
            store,
            adapters,
            settings: Arc::new(settings),
            clock,
            campaigns: CampaignCache::default(),
        }
    }

    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }
}
