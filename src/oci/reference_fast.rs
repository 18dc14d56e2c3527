//! A hand-written parser for the common shapes of registry references, so that a CLI command
//! does not pay for compiling oci-spec's reference regex (about a third of a short command's
//! CPU). It accepts only inputs that the regex certainly accepts, and answers exactly as
//! oci-spec plus Docker's normalization would; anything else (uppercase, unusual hosts,
//! other digest algorithms, non-ASCII tags, every error) returns `None` and goes the slow way.
//! A differential test holds the two parsers to the same answers.

/// The parts of a reference, as oci-spec would split them.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Parts<'a> {
    pub registry: &'a str,
    pub repository: String,
    /// Only a tag written in the input (oci-spec fills in `latest`; we keep the difference).
    pub tag: Option<&'a str>,
    pub digest: Option<&'a str>,
}

const DOCKER_HUB: &str = "docker.io";
const NAME_MAX: usize = 255;

pub(super) fn parse(input: &str) -> Option<Parts<'_>> {
    let (name_tag, digest) = match input.split_once('@') {
        Some((n, d)) => (n, Some(sha256_digest(d)?)),
        None => (input, None),
    };
    // A ':' after the last '/' starts the tag; one before it is a port.
    let last_slash = name_tag.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match name_tag[last_slash..].rfind(':') {
        Some(i) => {
            let at = last_slash + i;
            (&name_tag[..at], Some(tag(&name_tag[at + 1..])?))
        }
        None => (name_tag, None),
    };
    let (registry, remainder) = match name.split_once('/') {
        Some((first, rest))
            if first.contains('.') || first.contains(':') || first == "localhost" =>
        {
            (domain(first)?, rest)
        }
        _ => (DOCKER_HUB, name),
    };
    if remainder.is_empty() || !remainder.split('/').all(path_component) {
        return None;
    }
    let registry = if registry == "index.docker.io" {
        DOCKER_HUB
    } else {
        registry
    };
    let repository = if registry == DOCKER_HUB && !remainder.contains('/') {
        format!("library/{remainder}")
    } else {
        remainder.to_owned()
    };
    (repository.len() <= NAME_MAX).then_some(Parts {
        registry,
        repository,
        tag,
        digest,
    })
}

/// `sha256:` and 64 lowercase hex digits.
fn sha256_digest(d: &str) -> Option<&str> {
    let hex = d.strip_prefix("sha256:")?;
    (hex.len() == 64 && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))).then_some(d)
}

/// `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`, ASCII only.
pub(super) fn tag(t: &str) -> Option<&str> {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let bytes = t.as_bytes();
    let ok = (1..=128).contains(&bytes.len())
        && word(bytes[0])
        && bytes[1..]
            .iter()
            .all(|&b| word(b) || b == b'.' || b == b'-');
    ok.then_some(t)
}

/// `host[:port]` where host is dot-separated labels of `[A-Za-z0-9-]` that neither start nor
/// end with `-`.
fn domain(d: &str) -> Option<&str> {
    let (host, port) = match d.split_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (d, None),
    };
    let label = |l: &str| {
        let b = l.as_bytes();
        !b.is_empty()
            && b[0] != b'-'
            && b[b.len() - 1] != b'-'
            && b.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'-')
    };
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    (host.split('.').all(label) && port_ok).then_some(d)
}

/// Runs of `[a-z0-9]` joined by exactly `.`, `_`, `__` or a run of `-`.
pub(super) fn path_component(c: &str) -> bool {
    let b = c.as_bytes();
    let alnum = |x: u8| x.is_ascii_lowercase() || x.is_ascii_digit();
    if b.is_empty() || !alnum(b[0]) || !alnum(b[b.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if alnum(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && !alnum(b[i]) {
            i += 1;
        }
        let sep = &c[start..i];
        if !(sep == "." || sep == "_" || sep == "__" || sep.bytes().all(|x| x == b'-')) {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use oci_spec::distribution::Reference;

    /// What oci-spec says, in the fast parser's terms (`None` when it rejects the input).
    fn slow(input: &str) -> Option<(String, String, Option<String>, Option<String>)> {
        let r: Reference = input.parse().ok()?;
        // oci-spec reports `latest` for a reference with neither tag nor digest.
        let written = input.split('@').next().unwrap_or(input);
        let tag = r
            .tag()
            .filter(|t| {
                written
                    .rsplit('/')
                    .next()
                    .unwrap_or("")
                    .ends_with(&format!(":{t}"))
            })
            .map(str::to_owned);
        Some((
            r.registry().to_owned(),
            r.repository().to_owned(),
            tag,
            r.digest().map(str::to_owned),
        ))
    }

    fn check(input: &str, accepted: &mut usize) {
        let Some(fast) = parse(input) else { return };
        *accepted += 1;
        let fast = (
            fast.registry.to_owned(),
            fast.repository,
            fast.tag.map(str::to_owned),
            fast.digest.map(str::to_owned),
        );
        assert_eq!(
            Some(fast),
            slow(input),
            "fast and oci-spec disagree on {input:?}"
        );
    }

    #[test]
    fn common_references_take_the_fast_path_and_agree() {
        let d = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        let inputs = [
            "alpine".to_owned(),
            "alpine:3.20".to_owned(),
            "library/alpine:latest".to_owned(),
            "user/app:1.0".to_owned(),
            "docker.io/nginx".to_owned(),
            "index.docker.io/nginx:1".to_owned(),
            "docker.io/user/app".to_owned(),
            "ghcr.io/owner/repo/sub:v1.2.3-rc_1".to_owned(),
            "127.0.0.1:5000/team/app/api".to_owned(),
            format!("127.0.0.1:5000/team/app/api@{d}"),
            format!("localhost:5000/app:v1@{d}"),
            "localhost/app".to_owned(),
            "my-registry.example.com/a__b/c.d/e---f:TAG_1".to_owned(),
            "test.com:5000".to_owned(),
            "test:5000/repo".to_owned(),
        ];
        let mut accepted = 0;
        for i in &inputs {
            check(i, &mut accepted);
        }
        assert_eq!(accepted, inputs.len(), "every common shape is fast");
    }

    /// Random strings over the grammar's alphabet: wherever the fast parser answers, it
    /// answers as oci-spec does. It must also answer for a good share of them, or the test
    /// would prove nothing.
    #[test]
    fn random_references_agree_with_oci_spec() {
        use rand::{Rng as _, SeedableRng as _};
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let pieces = [
            "a",
            "b",
            "z9",
            "0",
            "-",
            "--",
            ".",
            "_",
            "__",
            "/",
            ":",
            "@",
            "A",
            "Ab",
            "5000",
            "localhost",
            "docker.io",
            "index.docker.io",
            "x.io",
            "é",
            "library",
            "..",
            "_.",
            "sha256:",
            "sha512:",
        ];
        let hex = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855".repeat(2);
        let lengths = [32, 63, 64, 64, 64, 65, 96, 128];
        let mut accepted = 0;
        for _ in 0..20_000 {
            let n = rng.random_range(1..8);
            let mut s: String = (0..n)
                .map(|_| pieces[rng.random_range(0..pieces.len())])
                .collect();
            if rng.random_bool(0.2) {
                s.push_str(["@sha256:", "@sha512:", "@sha256"][rng.random_range(0..3)]);
                s.push_str(&hex[..lengths[rng.random_range(0..lengths.len())]]);
            }
            check(&s, &mut accepted);
        }
        assert!(accepted > 1_000, "only {accepted} took the fast path");
    }

    #[test]
    fn unusual_or_wrong_input_goes_the_slow_way() {
        for input in [
            "",
            "Alpine",
            "Foo/bar",
            "a//b",
            "a/",
            "/a",
            "a:",
            "a@sha256:abc",
            "a@sha512:00",
            "[::1]:5000/a",
            "ex_ample.com/a",
            "a:tag with space",
        ] {
            assert_eq!(parse(input), None, "{input:?}");
        }
    }
}
