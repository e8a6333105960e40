//! Enums stored and shown by name: one macro gives each its `as_str`, `ALL`, `Display`,
//! `FromStr` and serde forms, so no enum writes its names out by hand twice.

/// Defines a string-backed enum with `as_str`, `ALL`, `Display`, `FromStr` and serde impls.
#[macro_export]
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident ($what:literal) {
            $( $(#[$vmeta:meta])* $variant:ident => $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored (snake_case) name.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::ParseEnumError;

            /// Parses the snake_case name; case-insensitive, `-` accepted for `_`.
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                // Fast path, no allocation: the stored form (every row read goes through here).
                $(
                    if s == $text {
                        return Ok($name::$variant);
                    }
                )+
                let wanted = s.trim().replace('-', "_");
                $(
                    if wanted.eq_ignore_ascii_case($text) {
                        return Ok($name::$variant);
                    }
                )+
                Err($crate::ParseEnumError {
                    what: $what,
                    input: s.to_owned(),
                    valid: &[$($text),+],
                })
            }
        }

        impl $crate::__serde::Serialize for $name {
            fn serialize<S: $crate::__serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str> as $crate::__serde::Deserialize<'de>>::deserialize(deserializer)?;
                s.parse().map_err(<D::Error as $crate::__serde::de::Error>::custom)
            }
        }
    };
}

/// A string that does not name any variant of a [`string_enum!`] enum.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} `{input}`; expected one of: {}", .valid.join(", "))]
pub struct ParseEnumError {
    /// What was being parsed ("event type", "job status", ...).
    pub what: &'static str,
    /// The rejected input.
    pub input: String,
    /// The accepted names.
    pub valid: &'static [&'static str],
}
