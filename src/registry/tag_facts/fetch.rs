//! The facts of one manifest: its size from the manifest (what a pull moves: manifest,
//! config and layers), its created date from the config, and its blobs (config and layers)
//! for retention estimates. An index takes the newest date
//! among its platforms and the sum of their sizes (attestations left out), read through
//! `registry/platforms.rs`.

use super::{Blob, TagFacts};
use crate::oci::image::{ImageConfig, PlatformSize};
use crate::oci::{Digest, FetchedManifest, Manifest, Reference, Repository};
use crate::registry::client::MAX_CONFIG_BYTES;
use crate::registry::{Error, RegistryClient};

/// The facts and blobs of the manifest `digest`; an error only when the manifest itself
/// cannot be read.
pub async fn facts_of(
    client: &RegistryClient,
    repository: &Repository,
    digest: &Digest,
) -> Result<(TagFacts, Vec<Blob>), Error> {
    let top = client
        .manifest(repository, &Reference::Digest(digest.clone()))
        .await?;
    match &top.manifest {
        Manifest::Image(_) => Ok(image_facts(client, repository, &top).await),
        Manifest::Index(_) => {
            let platforms = client
                .platform_manifests(repository, &top.index_entries())
                .await;
            let mut created: Option<i64> = None;
            let mut size: Option<u64> = Some(0);
            let mut blobs = Vec::new();
            for (entry, manifest) in &platforms {
                let platform_size = PlatformSize::of(entry, manifest.as_ref()).and_then(|p| p.size);
                size = size.zip(platform_size).map(|(a, b)| a + b);
                if let Some(m) = manifest {
                    let (facts, own) = image_facts(client, repository, m).await;
                    created = created.max(facts.created);
                    blobs.extend(own);
                }
            }
            if platforms.is_empty() {
                size = None;
            }
            Ok((TagFacts { created, size }, blobs))
        }
    }
}

/// Size and date of an image manifest; the date is `None` when the config cannot be read
/// or says none (an artifact's config, an image built without one).
async fn image_facts(
    client: &RegistryClient,
    repository: &Repository,
    manifest: &FetchedManifest,
) -> (TagFacts, Vec<Blob>) {
    let Manifest::Image(m) = &manifest.manifest else {
        return (TagFacts::default(), Vec::new());
    };
    let blobs: Vec<Blob> = std::iter::once(m.config())
        .chain(m.layers().iter())
        .filter_map(|d| {
            Some(Blob {
                digest: Digest::parse(d.digest().as_ref()).ok()?,
                size: d.size(),
            })
        })
        .collect();
    let config = m.config();
    let size = manifest.bytes.len() as u64
        + config.size()
        + m.layers()
            .iter()
            .map(oci_spec::image::Descriptor::size)
            .sum::<u64>();
    let mut created = None;
    if crate::oci::media::is_image_config(config.media_type().as_ref())
        && let Ok(digest) = Digest::parse(config.digest().as_ref())
        && let Ok(bytes) = client
            .blob_bytes(repository, &digest, Some(config.size()), MAX_CONFIG_BYTES)
            .await
    {
        created = ImageConfig::parse(&bytes)
            .ok()
            .and_then(|c| c.created)
            .and_then(|c| parse_rfc3339(&c));
    }
    (
        TagFacts {
            created,
            size: Some(size),
        },
        blobs,
    )
}

/// Seconds since the Unix epoch (UTC) of an RFC 3339 date such as
/// `2024-01-05T12:34:56.789+09:00`; `None` if it is not one.
#[must_use]
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    let bytes = s.as_bytes();
    if bytes.len() < 20
        || bytes[4] != b'-'
        || bytes[7] != b'-'
        || bytes[13] != b':'
        || bytes[16] != b':'
    {
        return None;
    }
    let num = |r: std::ops::Range<usize>| {
        let part = s.get(r)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse::<i64>().ok())?
    };
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
        return None;
    }
    // Skip fractional seconds, then read the zone.
    let rest = s.get(19..)?;
    let zone = rest.trim_start_matches(|c: char| c == '.' || c.is_ascii_digit());
    let offset = match zone {
        "Z" | "z" => 0,
        zone if zone.len() == 6 && (zone.starts_with('+') || zone.starts_with('-')) => {
            let hours: i64 = zone.get(1..3)?.parse().ok()?;
            let minutes: i64 = zone.get(4..6)?.parse().ok()?;
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            sign * (hours * 3600 + minutes * 60)
        }
        _ => return None,
    };
    Some(days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset)
}

/// Howard Hinnant's days-from-civil: days since 1970-01-01 for a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::parse_rfc3339;

    #[test]
    fn dates_with_zones_and_fractions() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            parse_rfc3339("2023-11-14T22:13:20.123456789Z"),
            Some(1_700_000_000)
        );
        assert_eq!(
            parse_rfc3339("2023-11-15T07:13:20+09:00"),
            Some(1_700_000_000)
        );
        assert_eq!(
            parse_rfc3339("2023-11-14T21:13:20-01:00"),
            Some(1_700_000_000)
        );
        assert_eq!(parse_rfc3339("2023-11-14 22:13:20"), None);
        assert_eq!(parse_rfc3339("2023-13-14T22:13:20Z"), None);
        assert_eq!(parse_rfc3339("yesterday"), None);
    }
}
