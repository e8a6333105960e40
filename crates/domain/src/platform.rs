//! Platforms and the deliverable types that belong to each.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    Instagram,
    Tiktok,
    Youtube,
}

impl Platform {
    pub const ALL: [Platform; 3] = [Platform::Instagram, Platform::Tiktok, Platform::Youtube];

    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Instagram => "instagram",
            Platform::Tiktok => "tiktok",
            Platform::Youtube => "youtube",
        }
    }

    /// How people write it: `Instagram`, `TikTok`, `YouTube`.
    pub fn display_name(self) -> &'static str {
        match self {
            Platform::Instagram => "Instagram",
            Platform::Tiktok => "TikTok",
            Platform::Youtube => "YouTube",
        }
    }

    pub fn deliverable_types(self) -> &'static [DeliverableType] {
        use DeliverableType::*;
        match self {
            Platform::Instagram => &[InstagramPost, InstagramStory, InstagramReel],
            Platform::Tiktok => &[TiktokVideo, TiktokStory],
            Platform::Youtube => &[YoutubeDedicated, YoutubeIntegration, YoutubeShort],
        }
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlatformError {
    #[error("unknown platform {0:?}; use one of: instagram, tiktok, youtube")]
    UnknownPlatform(String),
    #[error("unknown deliverable type {0:?}; use one of: {list}", list = DeliverableType::ALL.map(|d| d.as_str()).join(", "))]
    UnknownDeliverable(String),
    #[error("{deliverable} is not a {platform} deliverable; {platform} takes: {valid}")]
    WrongPlatform {
        deliverable: DeliverableType,
        platform: Platform,
        valid: String,
    },
    #[error("a deliverable's quantity must be at least 1")]
    ZeroQuantity,
}

impl FromStr for Platform {
    type Err = PlatformError;

    /// Case and surrounding space do not matter (`YouTube`, ` tiktok `).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let wanted = text.trim().to_ascii_lowercase();
        Platform::ALL
            .into_iter()
            .find(|p| p.as_str() == wanted)
            .ok_or_else(|| PlatformError::UnknownPlatform(text.to_owned()))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliverableType {
    InstagramPost,
    InstagramStory,
    InstagramReel,
    TiktokVideo,
    TiktokStory,
    YoutubeDedicated,
    YoutubeIntegration,
    YoutubeShort,
}

impl DeliverableType {
    pub const ALL: [DeliverableType; 8] = [
        DeliverableType::InstagramPost,
        DeliverableType::InstagramStory,
        DeliverableType::InstagramReel,
        DeliverableType::TiktokVideo,
        DeliverableType::TiktokStory,
        DeliverableType::YoutubeDedicated,
        DeliverableType::YoutubeIntegration,
        DeliverableType::YoutubeShort,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DeliverableType::InstagramPost => "instagram_post",
            DeliverableType::InstagramStory => "instagram_story",
            DeliverableType::InstagramReel => "instagram_reel",
            DeliverableType::TiktokVideo => "tiktok_video",
            DeliverableType::TiktokStory => "tiktok_story",
            DeliverableType::YoutubeDedicated => "youtube_dedicated",
            DeliverableType::YoutubeIntegration => "youtube_integration",
            DeliverableType::YoutubeShort => "youtube_short",
        }
    }

    pub fn platform(self) -> Platform {
        match self {
            DeliverableType::InstagramPost
            | DeliverableType::InstagramStory
            | DeliverableType::InstagramReel => Platform::Instagram,
            DeliverableType::TiktokVideo | DeliverableType::TiktokStory => Platform::Tiktok,
            DeliverableType::YoutubeDedicated
            | DeliverableType::YoutubeIntegration
            | DeliverableType::YoutubeShort => Platform::Youtube,
        }
    }

    /// The words the team and the influencer use: "Instagram reel", "YouTube dedicated video".
    pub fn label(self) -> &'static str {
        match self {
            DeliverableType::InstagramPost => "Instagram post",
            DeliverableType::InstagramStory => "Instagram story",
            DeliverableType::InstagramReel => "Instagram reel",
            DeliverableType::TiktokVideo => "TikTok video",
            DeliverableType::TiktokStory => "TikTok story",
            DeliverableType::YoutubeDedicated => "YouTube dedicated video",
            DeliverableType::YoutubeIntegration => "YouTube integration",
            DeliverableType::YoutubeShort => "YouTube short",
        }
    }
}

impl fmt::Display for DeliverableType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for DeliverableType {
    type Err = PlatformError;

    /// Accepts the id (`instagram_reel`) or the label (`Instagram Reel`), any case.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let wanted = text.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        DeliverableType::ALL
            .into_iter()
            .find(|d| {
                d.as_str() == wanted || d.label().to_ascii_lowercase().replace(' ', "_") == wanted
            })
            .ok_or_else(|| PlatformError::UnknownDeliverable(text.to_owned()))
    }
}

/// A deliverable for a given platform, at least one of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Deliverable {
    pub kind: DeliverableType,
    pub quantity: u32,
}

impl Deliverable {
    /// Checks that the type belongs to the platform and the quantity is at least one.
    pub fn new(
        platform: Platform,
        kind: DeliverableType,
        quantity: u32,
    ) -> Result<Self, PlatformError> {
        if kind.platform() != platform {
            let valid = platform
                .deliverable_types()
                .iter()
                .map(|d| d.as_str())
                .collect::<Vec<_>>();
            return Err(PlatformError::WrongPlatform {
                deliverable: kind,
                platform,
                valid: valid.join(", "),
            });
        }
        if quantity == 0 {
            return Err(PlatformError::ZeroQuantity);
        }
        Ok(Deliverable { kind, quantity })
    }

    pub fn platform(self) -> Platform {
        self.kind.platform()
    }
}

impl DeliverableType {
    /// "1 Instagram reel", "2 Instagram stories", "3 YouTube shorts", "1 dedicated YouTube
    /// video": as a person writes them in an email.
    pub fn counted(self, quantity: u32) -> String {
        let label = match self {
            DeliverableType::YoutubeDedicated => "dedicated YouTube video",
            other => other.label(),
        };
        if quantity == 1 {
            format!("1 {label}")
        } else if let Some(stem) = label.strip_suffix("story") {
            format!("{quantity} {stem}stories")
        } else {
            format!("{quantity} {label}s")
        }
    }
}

impl fmt::Display for Deliverable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.kind.counted(self.quantity))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_deliverable_belongs_to_exactly_its_platform() {
        for platform in Platform::ALL {
            for kind in DeliverableType::ALL {
                let belongs = platform.deliverable_types().contains(&kind);
                assert_eq!(Deliverable::new(platform, kind, 1).is_ok(), belongs);
                assert_eq!(kind.platform() == platform, belongs);
            }
        }
    }

    #[test]
    fn a_wrong_platform_error_lists_the_valid_types() {
        let err = Deliverable::new(Platform::Tiktok, DeliverableType::InstagramReel, 1)
            .unwrap_err()
            .to_string();
        assert!(err.contains("tiktok_video, tiktok_story"), "{err}");
    }

    #[test]
    fn parses_ids_labels_and_any_case() {
        assert_eq!("YouTube".parse::<Platform>(), Ok(Platform::Youtube));
        assert_eq!(" TIKTOK ".parse::<Platform>(), Ok(Platform::Tiktok));
        assert_eq!("Instagram Reel".parse(), Ok(DeliverableType::InstagramReel));
        assert_eq!("youtube_short".parse(), Ok(DeliverableType::YoutubeShort));
        assert!("snapchat".parse::<Platform>().is_err());
        assert!(Deliverable::new(Platform::Youtube, DeliverableType::YoutubeShort, 0).is_err());
    }

    #[test]
    fn displays_quantity_and_label() {
        let d = Deliverable::new(Platform::Instagram, DeliverableType::InstagramReel, 2).unwrap();
        assert_eq!(d.to_string(), "2 Instagram reels");
        let d = Deliverable::new(Platform::Tiktok, DeliverableType::TiktokStory, 3).unwrap();
        assert_eq!(d.to_string(), "3 TikTok stories");
    }
}
