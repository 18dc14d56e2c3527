//! Human formatting of sizes: decimal units as Docker shows them (kB, MB, GB).

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

#[cfg(test)]
mod tests {
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
