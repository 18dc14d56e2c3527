//! Platforms (`os/arch[/variant]`), the host's platform, and matching an index entry.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Platform {
    pub os: String,
    pub architecture: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
}

impl Platform {
    /// Parses `linux/arm64`, `linux/arm/v7` or `linux/amd64`.
    pub fn parse(s: &str) -> Option<Self> {
        let mut parts = s.split('/');
        let os = parts.next().filter(|p| !p.is_empty())?;
        let architecture = parts.next().filter(|p| !p.is_empty())?;
        let variant = parts.next().map(str::to_owned);
        if parts.next().is_some() {
            return None;
        }
        Some(Self {
            os: os.to_owned(),
            architecture: architecture.to_owned(),
            variant,
        })
    }

    /// The platform this binary runs on, in OCI's naming.
    #[must_use]
    pub fn host() -> Self {
        let architecture = match std::env::consts::ARCH {
            "x86_64" => "amd64",
            "aarch64" => "arm64",
            "x86" => "386",
            "powerpc64" => "ppc64le",
            other => other,
        };
        Self {
            os: "linux".to_owned(),
            architecture: architecture.to_owned(),
            variant: None,
        }
    }

    /// Whether an index entry for `candidate` serves a request for `self`. A request without
    /// a variant accepts any variant, as `docker pull --platform linux/arm64` does.
    #[must_use]
    pub fn matches(&self, candidate: &Platform) -> bool {
        self.os == candidate.os
            && self.architecture == candidate.architecture
            && (self.variant.is_none() || self.variant == candidate.variant)
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.os, self.architecture)?;
        if let Some(v) = &self.variant {
            write!(f, "/{v}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_display_round_trip() {
        for s in ["linux/amd64", "linux/arm/v7", "windows/amd64"] {
            assert_eq!(Platform::parse(s).unwrap().to_string(), s);
        }
        assert!(Platform::parse("linux").is_none());
        assert!(Platform::parse("a/b/c/d").is_none());
    }

    #[test]
    fn variantless_request_matches_any_variant() {
        let want = Platform::parse("linux/arm").unwrap();
        assert!(want.matches(&Platform::parse("linux/arm/v7").unwrap()));
        let want7 = Platform::parse("linux/arm/v7").unwrap();
        assert!(!want7.matches(&Platform::parse("linux/arm/v6").unwrap()));
    }
}
