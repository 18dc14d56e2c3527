//! Human formatting shared by every source: sizes in decimal units as Docker shows them
//! (kB, MB, GB), and Unix times as UTC dates.

/// `1234567` → `1.23 MB`. Exact bytes are for `--json` and tooltips.
#[must_use]
pub fn size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["kB", "MB", "GB", "TB", "PB"];
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64;
    let mut unit = "B";
    for u in UNITS {
        if value < 1000.0 {
            break;
        }
        value /= 1000.0;
        unit = u;
    }
    let text = if value < 10.0 {
        format!("{value:.2}")
    } else if value < 100.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.0}")
    };
    format!("{text} {unit}")
}

/// Unix seconds as UTC `(year, month, day, hour, minute, second)`, proleptic Gregorian
/// (Howard Hinnant's `civil_from_days`), so no date crate is needed for three formats.
#[must_use]
pub fn utc(secs: i64) -> (i64, i64, i64, i64, i64, i64) {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day, rem / 3600, rem % 3600 / 60, rem % 60)
}

/// Unix seconds as RFC 3339 UTC (`2024-01-02T03:04:05Z`).
#[must_use]
pub fn rfc3339(secs: i64) -> String {
    let (y, mo, d, h, mi, s) = utc(secs);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

/// Unix seconds as `YYYY-MM-DD HH:MM` UTC (what `tar -tv` shows with `TZ=UTC`).
#[must_use]
pub fn utc_minutes(secs: i64) -> String {
    let (y, mo, d, h, mi, _) = utc(secs);
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn utc_dates() {
        assert_eq!(super::rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::rfc3339(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(super::rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(super::utc_minutes(1_700_000_000), "2023-11-14 22:13");
        assert_eq!(super::rfc3339(-1), "1969-12-31T23:59:59Z");
    }

    #[test]
    fn decimal_units() {
        assert_eq!(super::size(999), "999 B");
        assert_eq!(super::size(1000), "1.00 kB");
        assert_eq!(super::size(1_234_567), "1.23 MB");
        assert_eq!(super::size(45_600_000), "45.6 MB");
        assert_eq!(super::size(209_715_200), "210 MB");
        assert_eq!(super::size(3_000_000_000), "3.00 GB");
    }
}
