//! The reference grammar (ARCHITECTURE.md): one string names an image wherever it lives.
//!
//! Registry references are parsed by oci-spec's `Reference` (Docker's normalization), then
//! Docker Hub is pointed at `registry-1.docker.io`, where its API actually lives. Common
//! shapes take a regex-free path (`reference_fast`) that gives the same answers.

use super::name::{ImageName, Reference, Repository};
use super::{Digest, LocalName};
use std::fmt;
use std::path::PathBuf;

/// Docker Hub's API host. `docker.io` and `index.docker.io` are names for the same place.
pub const DOCKER_HUB_HOST: &str = "registry-1.docker.io";

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scheme {
    Http,
    Https,
}

impl Scheme {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Http => "http",
            Self::Https => "https",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid reference {input:?}: {reason}")]
pub struct ReferenceError {
    pub input: String,
    pub reason: String,
}

/// A registry host with an optional forced scheme (`https://host` or `http://host`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryName {
    pub host: String,
    pub scheme: Option<Scheme>,
}

impl RegistryName {
    /// Parses `HOST[:PORT]`, `http://HOST[:PORT]` or `docker.io`.
    pub fn parse(input: &str) -> Result<Self, ReferenceError> {
        let (scheme, rest) = split_scheme(input);
        let host = rest.trim_end_matches('/');
        if host.is_empty() || host.contains('/') || host.contains(char::is_whitespace) {
            return Err(ReferenceError {
                input: input.to_owned(),
                reason: "expected a registry host such as registry.example.com:5000".to_owned(),
            });
        }
        Ok(Self {
            host: normalize_host(host),
            scheme,
        })
    }
}

/// An image (or repository) in a registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryRef {
    pub registry: RegistryName,
    pub repository: Repository,
    pub tag: Option<String>,
    pub digest: Option<Digest>,
}

impl RegistryRef {
    /// Parses `[scheme://]HOST[:PORT]/REPO[:TAG|@DIGEST]`, or a bare Docker Hub name.
    pub fn parse(input: &str) -> Result<Self, ReferenceError> {
        let (scheme, rest) = split_scheme(input);
        if let Some(p) = super::reference_fast::parse(rest) {
            return Ok(Self {
                registry: RegistryName {
                    host: normalize_host(p.registry),
                    scheme,
                },
                repository: Repository::checked(p.repository),
                tag: p.tag.map(str::to_owned),
                digest: p.digest.map(|d| digest(input, d)).transpose()?,
            });
        }
        let parsed: oci_spec::distribution::Reference =
            rest.parse()
                .map_err(|e: oci_spec::distribution::ParseError| ReferenceError {
                    input: input.to_owned(),
                    reason: e.to_string(),
                })?;
        // oci-spec fills in `latest` when no tag was given; we want to know the difference
        // (`tags REPO` names a repository, `inspect REPO` means `latest`).
        let explicit_tag = parsed.tag().filter(|t| {
            let without_digest = rest.split('@').next().unwrap_or(rest);
            let last = without_digest.rsplit('/').next().unwrap_or(without_digest);
            last.ends_with(&format!(":{t}"))
        });
        Ok(Self {
            registry: RegistryName {
                host: normalize_host(parsed.registry()),
                scheme,
            },
            repository: Repository::checked(parsed.repository().to_owned()),
            tag: explicit_tag.map(str::to_owned),
            digest: parsed.digest().map(|d| digest(input, d)).transpose()?,
        })
    }

    /// `REPO[:TAG|@DIGEST]` as typed inside a registry that is already chosen (a sidebar
    /// source, a Compare side): bare Docker Hub names get `library/`, and the registry's
    /// forced scheme is kept.
    pub fn parse_in(registry: &RegistryName, text: &str) -> Result<Self, ReferenceError> {
        let text = text.trim().trim_matches('/');
        let host = if registry.host == DOCKER_HUB_HOST {
            "docker.io"
        } else {
            registry.host.as_str()
        };
        let mut parsed = Self::parse(&format!("{host}/{text}")).map_err(|e| ReferenceError {
            input: text.to_owned(),
            reason: e.reason,
        })?;
        parsed.registry = registry.clone();
        Ok(parsed)
    }

    /// The tag or digest to ask the registry for: the digest wins, then the tag, then `latest`.
    #[must_use]
    pub fn reference(&self) -> Reference {
        match (&self.digest, &self.tag) {
            (Some(d), _) => Reference::Digest(d.clone()),
            (None, Some(t)) => Reference::Tag(t.clone()),
            (None, None) => Reference::default(),
        }
    }

    /// The tag a copy of this image takes: the one named, `latest` when neither tag nor
    /// digest was given, none for an image named by digest alone.
    #[must_use]
    pub fn tag_or_default(&self) -> Option<String> {
        match (&self.tag, &self.digest) {
            (Some(t), _) => Some(t.clone()),
            (None, None) => Some(super::DEFAULT_TAG.to_owned()),
            (None, Some(_)) => None,
        }
    }

    /// `HOST/REPO:TAG` or `HOST/REPO@DIGEST`, with `latest` when neither was given: the
    /// full name a store gives this image.
    #[must_use]
    pub fn full_name(&self) -> String {
        let r = self.reference();
        format!(
            "{}/{}{}{r}",
            self.registry.host,
            self.repository,
            r.separator()
        )
    }
}

impl RegistryRef {
    /// [`RegistryRef::full_name`] as the name a local store gives this image.
    #[must_use]
    pub fn image_name(&self) -> ImageName {
        let r = self.reference();
        ImageName {
            path: format!("{}/{}", self.registry.host, self.repository),
            tag: r.tag().map(str::to_owned),
            digest: r.digest().map(ToString::to_string),
        }
    }
}

impl fmt::Display for RegistryRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.registry.host, self.repository)?;
        if let Some(t) = &self.tag {
            write!(f, ":{t}")?;
        }
        if let Some(d) = &self.digest {
            write!(f, "@{d}")?;
        }
        Ok(())
    }
}

/// Where an image lives, per the reference grammar (ARCHITECTURE.md).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageRef {
    Registry(RegistryRef),
    /// `berth:REPO[:TAG]`, Berth's own layout store.
    Berth {
        name: LocalName,
    },
    /// `oci:DIR[:TAG]` or `oci:DIR@sha256:…`, any OCI layout directory. `name` is the image
    /// within it: a tag, the digest written after `@`, or nothing.
    OciDir {
        dir: PathBuf,
        name: LocalName,
    },
    /// `docker:REF`
    Docker {
        name: LocalName,
    },
    /// `podman:REF`
    Podman {
        name: LocalName,
    },
}

impl ImageRef {
    pub fn parse(input: &str) -> Result<Self, ReferenceError> {
        if let Some(rest) = input.strip_prefix("berth:") {
            return Ok(Self::Berth {
                name: LocalName::parse(rest),
            });
        }
        if let Some(rest) = input.strip_prefix("oci:") {
            if let Some(at) = rest.rfind("@sha256:").filter(|&at| at > 0) {
                return Ok(Self::OciDir {
                    dir: PathBuf::from(&rest[..at]),
                    name: LocalName::parse(&rest[at + 1..]),
                });
            }
            // A tag follows the last ':' unless that ':' is part of the path.
            let (dir, tag) = match rest.rsplit_once(':') {
                Some((d, t)) if !t.contains('/') && !d.is_empty() => (d, t),
                _ => (rest, ""),
            };
            return Ok(Self::OciDir {
                dir: PathBuf::from(dir),
                name: LocalName::parse(tag),
            });
        }
        if let Some(rest) = input.strip_prefix("docker:") {
            return Ok(Self::Docker {
                name: LocalName::parse(rest),
            });
        }
        if let Some(rest) = input.strip_prefix("podman:") {
            return Ok(Self::Podman {
                name: LocalName::parse(rest),
            });
        }
        RegistryRef::parse(input).map(Self::Registry)
    }
}

/// The reference written back in the grammar it was parsed from (`berth:NAME`,
/// `oci:DIR:TAG`, `HOST/REPO:TAG`): `ImageRef::parse(&r.to_string()) == r`.
impl fmt::Display for ImageRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Registry(r) => write!(f, "{r}"),
            Self::Berth { name } => write!(f, "berth:{name}"),
            Self::OciDir { dir, name } => match name {
                LocalName::Default => write!(f, "oci:{}", dir.display()),
                LocalName::Digest(d) => write!(f, "oci:{}@{d}", dir.display()),
                LocalName::Name(n) => write!(f, "oci:{}:{n}", dir.display()),
            },
            Self::Docker { name } => write!(f, "docker:{name}"),
            Self::Podman { name } => write!(f, "podman:{name}"),
        }
    }
}

/// sha256 and sha512 digests are fetched and verified; others are refused at the edge.
fn digest(input: &str, d: &str) -> Result<Digest, ReferenceError> {
    Digest::parse(d).map_err(|e| ReferenceError {
        input: input.to_owned(),
        reason: e.reason.to_owned(),
    })
}

fn split_scheme(input: &str) -> (Option<Scheme>, &str) {
    if let Some(rest) = input.strip_prefix("https://") {
        (Some(Scheme::Https), rest)
    } else if let Some(rest) = input.strip_prefix("http://") {
        (Some(Scheme::Http), rest)
    } else {
        (None, input)
    }
}

/// Docker Hub has three names; its API answers at one of them.
#[must_use]
pub fn normalize_host(host: &str) -> String {
    match host {
        "docker.io" | "index.docker.io" => DOCKER_HUB_HOST.to_owned(),
        other => other.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_names_are_docker_hub_library() {
        let r = RegistryRef::parse("alpine").unwrap();
        assert_eq!(r.registry.host, DOCKER_HUB_HOST);
        assert_eq!(r.repository, "library/alpine");
        assert_eq!(r.tag, None);
        assert_eq!(r.reference().to_string(), "latest");

        let r = RegistryRef::parse("user/app:1.0").unwrap();
        assert_eq!(r.registry.host, DOCKER_HUB_HOST);
        assert_eq!(r.repository, "user/app");
        assert_eq!(r.tag.as_deref(), Some("1.0"));

        let r = RegistryRef::parse("docker.io/nginx").unwrap();
        assert_eq!(r.registry.host, DOCKER_HUB_HOST);
        assert_eq!(r.repository, "library/nginx");
    }

    #[test]
    fn hosts_ports_tags_and_digests() {
        let d = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        let r = RegistryRef::parse(&format!("127.0.0.1:5000/team/app/api@{d}")).unwrap();
        assert_eq!(r.registry.host, "127.0.0.1:5000");
        assert_eq!(r.repository, "team/app/api");
        assert_eq!(r.tag, None);
        assert_eq!(r.reference().to_string(), d);

        let r = RegistryRef::parse("localhost:5000/app:v1").unwrap();
        assert_eq!(r.registry.host, "localhost:5000");
        assert_eq!(r.tag.as_deref(), Some("v1"));
    }

    #[test]
    fn schemes_are_kept() {
        let r = RegistryRef::parse("http://127.0.0.1:5000/a:b").unwrap();
        assert_eq!(r.registry.scheme, Some(Scheme::Http));
        let n = RegistryName::parse("https://ghcr.io/").unwrap();
        assert_eq!(n.scheme, Some(Scheme::Https));
        assert_eq!(n.host, "ghcr.io");
        assert!(RegistryName::parse("ghcr.io/owner").is_err());
    }

    #[test]
    fn store_prefixes() {
        assert_eq!(
            ImageRef::parse("oci:/tmp/lay:v1").unwrap(),
            ImageRef::OciDir {
                dir: "/tmp/lay".into(),
                name: LocalName::parse("v1")
            }
        );
        assert_eq!(
            ImageRef::parse("berth:alpine:3").unwrap(),
            ImageRef::Berth {
                name: LocalName::parse("alpine:3")
            }
        );
        assert_eq!(
            ImageRef::parse("oci:/tmp/lay").unwrap(),
            ImageRef::OciDir {
                dir: "/tmp/lay".into(),
                name: LocalName::Default
            }
        );
        let d = Digest::of(b"x");
        let r = ImageRef::parse(&format!("oci:/tmp/a@b@{d}")).unwrap();
        assert_eq!(
            r,
            ImageRef::OciDir {
                dir: "/tmp/a@b".into(),
                name: LocalName::Digest(d.clone())
            }
        );
        assert_eq!(r.to_string(), format!("oci:/tmp/a@b@{d}"));
        assert!(matches!(
            ImageRef::parse("podman:alpine").unwrap(),
            ImageRef::Podman { .. }
        ));
    }

    #[test]
    fn names_typed_inside_a_registry() {
        let hub = RegistryName::parse("docker.io").unwrap();
        let r = RegistryRef::parse_in(&hub, " alpine:3.19 ").unwrap();
        assert_eq!(r.registry.host, DOCKER_HUB_HOST);
        assert_eq!(r.repository, "library/alpine");
        assert_eq!(r.tag.as_deref(), Some("3.19"));
        let local = RegistryName::parse("http://127.0.0.1:5000").unwrap();
        let r = RegistryRef::parse_in(&local, "team/app").unwrap();
        assert_eq!(r.registry, local);
        assert_eq!(r.repository, "team/app");
        assert_eq!(r.tag, None);
        assert!(RegistryRef::parse_in(&local, "").is_err());
    }

    #[test]
    fn uppercase_is_rejected() {
        assert!(RegistryRef::parse("Alpine").is_err());
    }
}
