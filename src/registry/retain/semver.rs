//! Semantic versions in tag names, for "keep the newest N by semantic version": `1.2.3`,
//! `v1.2.3`, with an optional pre-release (`-rc.1`, lower than the release) and build
//! (`+build.5`, ignored in the order, as the specification says). Anything else is not a
//! semantic version, and the planner keeps such a tag and says why.

use std::cmp::Ordering;

/// A parsed `MAJOR.MINOR.PATCH[-PRE][+BUILD]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    core: [u64; 3],
    pre: Vec<Ident>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Ident {
    Num(u64),
    Text(String),
}

impl Version {
    /// The version in `tag`, if the whole tag is one (a leading `v` or `V` is allowed).
    #[must_use]
    pub fn parse(tag: &str) -> Option<Self> {
        let s = tag
            .strip_prefix('v')
            .or_else(|| tag.strip_prefix('V'))
            .unwrap_or(tag);
        let s = match s.split_once('+') {
            Some((v, build)) if valid_idents(build) => v,
            Some(_) => return None,
            None => s,
        };
        let (core, pre) = match s.split_once('-') {
            Some((c, p)) if valid_idents(p) => (c, Some(p)),
            Some(_) => return None,
            None => (s, None),
        };
        let mut parts = core.split('.');
        let mut nums = [0u64; 3];
        for n in &mut nums {
            *n = number(parts.next()?)?;
        }
        if parts.next().is_some() {
            return None;
        }
        let pre = pre
            .map(|p| {
                p.split('.')
                    .map(|i| number(i).map_or_else(|| Ident::Text(i.to_owned()), Ident::Num))
                    .collect()
            })
            .unwrap_or_default();
        Some(Self { core: nums, pre })
    }
}

/// Digits without a leading zero (except `0` itself).
fn number(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) || (s.len() > 1 && s.starts_with('0'))
    {
        return None;
    }
    s.parse().ok()
}

fn valid_idents(s: &str) -> bool {
    s.split('.')
        .all(|i| !i.is_empty() && i.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.core.cmp(&other.core).then_with(|| {
            match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                // A pre-release comes before its release.
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => self.pre.cmp(&other.pre),
            }
        })
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ident {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Self::Num(a), Self::Num(b)) => a.cmp(b),
            // Numeric identifiers come before alphanumeric ones.
            (Self::Num(_), Self::Text(_)) => Ordering::Less,
            (Self::Text(_), Self::Num(_)) => Ordering::Greater,
            (Self::Text(a), Self::Text(b)) => a.cmp(b),
        }
    }
}

impl PartialOrd for Ident {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::Version;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    #[test]
    fn versions_parse_with_or_without_v() {
        assert_eq!(v("1.2.3"), v("v1.2.3"));
        assert!(Version::parse("1.2").is_none());
        assert!(Version::parse("1.2.3.4").is_none());
        assert!(Version::parse("01.2.3").is_none());
        assert!(Version::parse("latest").is_none());
        assert!(Version::parse("sha-abc").is_none());
        assert!(Version::parse("1.2.3-").is_none());
        assert!(Version::parse("1.2.3+").is_none());
        assert!(Version::parse("1.2.3-rc..1").is_none());
    }

    #[test]
    fn order_is_the_specification_s() {
        let order = [
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "1.0.1",
            "1.2.0",
            "1.10.0",
            "2.0.0",
        ];
        for w in order.windows(2) {
            assert!(v(w[0]) < v(w[1]), "{} < {}", w[0], w[1]);
        }
        assert_eq!(v("1.0.0+a").cmp(&v("1.0.0+b")), std::cmp::Ordering::Equal);
    }
}
