//! Where a local store is: the store grammar (ARCHITECTURE.md) (`berth:`, `oci:DIR`, `docker:`,
//! `podman:`), Berth's own store directory, and opening a store from a location.

use super::engine::{EngineKind, EngineStore};
use super::{Error, LayoutStore, LocalStore, Result};
use crate::oci::{ImageRef, LocalName};
use crate::settings::Settings;
use std::fmt;
use std::path::PathBuf;

/// A local store, by kind and place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreLocation {
    /// Berth's own layout store.
    Berth,
    /// Any OCI layout directory.
    Layout(PathBuf),
    Docker,
    Podman,
}

impl StoreLocation {
    /// Parses a STORE argument: `berth:`, `oci:DIR`, `docker:` or `podman:` (the colon is
    /// optional for the three without a path). `None` for anything else.
    #[must_use]
    pub fn parse(input: &str) -> Option<Self> {
        match input {
            "berth" | "berth:" => Some(Self::Berth),
            "docker" | "docker:" => Some(Self::Docker),
            "podman" | "podman:" => Some(Self::Podman),
            _ => input
                .strip_prefix("oci:")
                .filter(|d| !d.is_empty())
                .map(|d| Self::Layout(PathBuf::from(d))),
        }
    }

    /// The store a reference points into, and the image within it (parsed once, by
    /// [`ImageRef::parse`]). `None` for registry references.
    #[must_use]
    pub fn locate(reference: &ImageRef) -> Option<(Self, LocalName)> {
        match reference {
            ImageRef::Registry(_) => None,
            ImageRef::Berth { name } => Some((Self::Berth, name.clone())),
            ImageRef::OciDir { dir, name } => Some((Self::Layout(dir.clone()), name.clone())),
            ImageRef::Docker { name } => Some((Self::Docker, name.clone())),
            ImageRef::Podman { name } => Some((Self::Podman, name.clone())),
        }
    }

    /// The image `name` in this store, as a reference: the inverse of [`Self::locate`].
    /// [`LocalName::Default`] names the store itself (a destination that keeps the source's
    /// name).
    #[must_use]
    pub fn image_ref(&self, name: LocalName) -> ImageRef {
        match self {
            Self::Berth => ImageRef::Berth { name },
            Self::Layout(dir) => ImageRef::OciDir {
                dir: dir.clone(),
                name,
            },
            Self::Docker => ImageRef::Docker { name },
            Self::Podman => ImageRef::Podman { name },
        }
    }
}

impl fmt::Display for StoreLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Berth => f.write_str("berth:"),
            Self::Layout(dir) => write!(f, "oci:{}", dir.display()),
            Self::Docker => f.write_str("docker:"),
            Self::Podman => f.write_str("podman:"),
        }
    }
}

/// Every local store to show, in sidebar order: Berth's own, each layout in settings, then
/// Docker and Podman (which may turn out not to run: [`open`] says why).
#[must_use]
pub fn configured_locations(settings: &Settings) -> Vec<StoreLocation> {
    std::iter::once(StoreLocation::Berth)
        .chain(
            settings
                .layout_stores
                .iter()
                .map(|d| StoreLocation::Layout(d.clone())),
        )
        .chain([StoreLocation::Docker, StoreLocation::Podman])
        .collect()
}

/// Berth's own store: `settings.store_dir`, else `store` in the platform data dir
/// (`$XDG_DATA_HOME/berth/store`, usually `~/.local/share/berth/store`).
pub fn berth_store_dir(settings: &Settings) -> Result<PathBuf> {
    if let Some(dir) = &settings.store_dir {
        return Ok(dir.clone());
    }
    directories::ProjectDirs::from("", "", "berth")
        .map(|d| d.data_dir().join("store"))
        .ok_or(Error::NoDataDir)
}

/// Opens the store at `location`: Berth's store is created on first use; another layout
/// must exist; an engine must answer on one of its sockets.
pub async fn open(location: &StoreLocation, settings: &Settings) -> Result<Box<dyn LocalStore>> {
    match location {
        StoreLocation::Berth => {
            let dir = berth_store_dir(settings)?;
            let store = super::blocking(move || LayoutStore::open_or_create(&dir)).await?;
            Ok(Box::new(store.with_label("berth")))
        }
        StoreLocation::Layout(dir) => {
            let dir = dir.clone();
            Ok(Box::new(
                super::blocking(move || LayoutStore::open(&dir)).await?,
            ))
        }
        StoreLocation::Docker => Ok(Box::new(
            EngineStore::connect(EngineKind::Docker, settings).await?,
        )),
        StoreLocation::Podman => Ok(Box::new(
            EngineStore::connect(EngineKind::Podman, settings).await?,
        )),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn locations_parse_and_refs_split() {
        assert_eq!(StoreLocation::parse("berth:"), Some(StoreLocation::Berth));
        assert_eq!(
            StoreLocation::parse("oci:/tmp/x"),
            Some(StoreLocation::Layout("/tmp/x".into()))
        );
        assert_eq!(StoreLocation::parse("oci:"), None);
        assert_eq!(StoreLocation::parse("alpine"), None);
        let r = ImageRef::parse(
            "oci:/tmp/x@sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        )
        .unwrap();
        let (loc, name) = StoreLocation::locate(&r).unwrap();
        assert_eq!(loc, StoreLocation::Layout("/tmp/x".into()));
        assert!(matches!(name, LocalName::Digest(_)));
        let r = ImageRef::parse("podman:alpine:3.19").unwrap();
        assert_eq!(
            StoreLocation::locate(&r),
            Some((StoreLocation::Podman, LocalName::parse("alpine:3.19")))
        );
    }

    #[test]
    fn image_ref_is_the_inverse_of_locate() {
        let digest = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        for (location, name) in [
            (StoreLocation::Berth, "127.0.0.1:5000/team/app:v1"),
            (StoreLocation::Layout("/tmp/x".into()), "api"),
            (StoreLocation::Layout("/tmp/x".into()), digest),
            (StoreLocation::Docker, "alpine:3"),
            (StoreLocation::Podman, digest),
            (StoreLocation::Layout("/tmp/x".into()), ""),
            (StoreLocation::Berth, ""),
        ] {
            let name = LocalName::parse(name);
            let r = location.image_ref(name.clone());
            assert_eq!(StoreLocation::locate(&r), Some((location.clone(), name)));
            // And through the text form the CLI and the jobs panel show.
            let text = r.to_string();
            assert_eq!(ImageRef::parse(&text).unwrap(), r, "{text}");
        }
    }

    #[test]
    fn store_dir_setting_wins() {
        let settings = Settings {
            store_dir: Some("/srv/berth".into()),
            ..Settings::default()
        };
        assert_eq!(
            berth_store_dir(&settings).unwrap(),
            PathBuf::from("/srv/berth")
        );
    }
}
