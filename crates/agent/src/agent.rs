//! The running agent: the store, the adapters behind each port, the settings and the clock.

use std::sync::Arc;

use jiff::Timestamp;
use negotiator_store::Store;

use crate::classify::Classifier;
use crate::clock::Clock;
use crate::compose::Composer;
use crate::mailbox::Mailbox;
use crate::notify::Notifier;
use crate::roster::Roster;
use crate::settings::Settings;
use crate::workflows::clickup::ClickUpIntake;

/// One adapter per port.
#[derive(Clone)]
pub struct Adapters {
    pub roster: Arc<dyn Roster>,
    pub mailbox: Arc<dyn Mailbox>,
    pub notifier: Arc<dyn Notifier>,
    pub classifier: Arc<dyn Classifier>,
    pub composer: Arc<dyn Composer>,
    /// Where ClickUp form submissions are fetched from, when configured.
    pub clickup: Option<Arc<ClickUpIntake>>,
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
                match &self.clickup {
                    Some(_) => "ClickUp webhook + API, and campaign files".to_owned(),
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
        }
    }

    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }
}
