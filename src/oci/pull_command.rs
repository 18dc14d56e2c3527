//! The command line that pulls a registry image with another tool (Docker, Podman, skopeo,
//! crane) or with Berth, by tag or by digest, written from the typed [`RegistryRef`] so that
//! the window only shows and copies it. Docker Hub is written `docker.io`, the name every
//! tool knows; a registry forced to plain HTTP gets each tool's own switch for it.

use super::reference::{DOCKER_HUB_HOST, RegistryRef, Scheme};
use super::{DEFAULT_TAG, Digest};

/// A tool a pull command is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PullTool {
    Docker,
    Podman,
    Skopeo,
    Crane,
    Berth,
}

impl PullTool {
    pub const ALL: [PullTool; 5] = [
        PullTool::Docker,
        PullTool::Podman,
        PullTool::Skopeo,
        PullTool::Crane,
        PullTool::Berth,
    ];
}

/// How the command names the image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PullBy {
    Tag(String),
    Digest(Digest),
}

/// The command that pulls `image` (its registry and repository) by `by` with `tool`.
#[must_use]
pub fn pull_command(tool: PullTool, image: &RegistryRef, by: &PullBy) -> String {
    let host = if image.registry.host == DOCKER_HUB_HOST {
        "docker.io"
    } else {
        image.registry.host.as_str()
    };
    let plain_http = image.registry.scheme == Some(Scheme::Http);
    let (suffix, local_tag) = match by {
        PullBy::Tag(t) => (format!(":{t}"), t.as_str()),
        PullBy::Digest(d) => (format!("@{d}"), DEFAULT_TAG),
    };
    let name = format!("{host}/{}{suffix}", image.repository);
    // The last path segment names the local copy of the tools that write a file or a
    // directory (skopeo's OCI layout, crane's tarball).
    let base = image
        .repository
        .as_str()
        .rsplit('/')
        .next()
        .unwrap_or(image.repository.as_str());
    match tool {
        // Docker's plain-HTTP switch is daemon configuration (`insecure-registries`), not a
        // flag of `docker pull`.
        PullTool::Docker => format!("docker pull {name}"),
        PullTool::Podman if plain_http => format!("podman pull --tls-verify=false {name}"),
        PullTool::Podman => format!("podman pull {name}"),
        PullTool::Skopeo => {
            let tls = if plain_http {
                " --src-tls-verify=false"
            } else {
                ""
            };
            format!("skopeo copy{tls} docker://{name} oci:{base}:{local_tag}")
        }
        PullTool::Crane if plain_http => format!("crane pull --insecure {name} {base}.tar"),
        PullTool::Crane => format!("crane pull {name} {base}.tar"),
        PullTool::Berth if plain_http => format!("berth pull http://{name}"),
        PullTool::Berth => format!("berth pull {name}"),
    }
}

/// Every pull command for `tag` and `digest` (whichever is known), by tag first: what the
/// "Copy pull command" menu lists, as (tool, by, command).
#[must_use]
pub fn pull_commands(
    image: &RegistryRef,
    tag: Option<&str>,
    digest: Option<&Digest>,
) -> Vec<(PullTool, PullBy, String)> {
    let ways = tag
        .map(|t| PullBy::Tag(t.to_owned()))
        .into_iter()
        .chain(digest.map(|d| PullBy::Digest(d.clone())));
    ways.flat_map(|by| {
        PullTool::ALL.map(|tool| {
            let command = pull_command(tool, image, &by);
            (tool, by.clone(), command)
        })
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(text: &str) -> RegistryRef {
        RegistryRef::parse(text).unwrap_or_else(|e| panic!("{e}"))
    }

    const DIGEST: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    fn digest() -> Digest {
        Digest::parse(DIGEST).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn every_tool_by_tag() {
        let img = image("registry.example.com:5000/team/app");
        let by = PullBy::Tag("v1".to_owned());
        let name = "registry.example.com:5000/team/app:v1";
        let expected = [
            (PullTool::Docker, format!("docker pull {name}")),
            (PullTool::Podman, format!("podman pull {name}")),
            (
                PullTool::Skopeo,
                format!("skopeo copy docker://{name} oci:app:v1"),
            ),
            (PullTool::Crane, format!("crane pull {name} app.tar")),
            (PullTool::Berth, format!("berth pull {name}")),
        ];
        for (tool, command) in expected {
            assert_eq!(pull_command(tool, &img, &by), command, "{tool:?}");
        }
    }

    #[test]
    fn by_digest_names_the_digest_and_docker_hub_as_docker_io() {
        let img = image("alpine");
        let by = PullBy::Digest(digest());
        assert_eq!(
            pull_command(PullTool::Docker, &img, &by),
            format!("docker pull docker.io/library/alpine@{DIGEST}")
        );
        assert_eq!(
            pull_command(PullTool::Skopeo, &img, &by),
            format!("skopeo copy docker://docker.io/library/alpine@{DIGEST} oci:alpine:latest")
        );
    }

    #[test]
    fn plain_http_gets_each_tools_switch() {
        let img = image("http://127.0.0.1:5000/library/alpine");
        let by = PullBy::Tag("3.19".to_owned());
        let name = "127.0.0.1:5000/library/alpine:3.19";
        assert_eq!(
            pull_command(PullTool::Podman, &img, &by),
            format!("podman pull --tls-verify=false {name}")
        );
        assert_eq!(
            pull_command(PullTool::Skopeo, &img, &by),
            format!("skopeo copy --src-tls-verify=false docker://{name} oci:alpine:3.19")
        );
        assert_eq!(
            pull_command(PullTool::Crane, &img, &by),
            format!("crane pull --insecure {name} alpine.tar")
        );
        assert_eq!(
            pull_command(PullTool::Berth, &img, &by),
            format!("berth pull http://{name}")
        );
    }

    #[test]
    fn the_menu_lists_by_tag_then_by_digest() {
        let img = image("registry.example.com/app");
        let all = pull_commands(&img, Some("v1"), Some(&digest()));
        assert_eq!(all.len(), 2 * PullTool::ALL.len());
        assert!(matches!(all[0].1, PullBy::Tag(_)));
        assert!(matches!(all[PullTool::ALL.len()].1, PullBy::Digest(_)));
        assert_eq!(pull_commands(&img, None, None).len(), 0);
    }
}
