//! Which columns the tags table shows at a given width. The tag is always there and takes
//! what is left; the others come in order of priority (size, kind, digest, created) while
//! they fit at their width, so a narrow window drops the least needed columns instead of
//! cutting every one of them. Their order on screen stays the same.

/// A column of the tags table, in its order on screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Col {
    Tag,
    Digest,
    Kind,
    Size,
    Created,
}

/// The narrowest the tag column gets before another column is dropped.
pub const TAG_MIN: f32 = 130.0;

impl Col {
    /// The width the column is drawn at (the tag's is its least).
    #[must_use]
    pub fn width(self) -> f32 {
        match self {
            Col::Tag => TAG_MIN,
            Col::Digest => 130.0,
            Col::Kind => 125.0,
            Col::Size => 80.0,
            Col::Created => 100.0,
        }
    }
}

/// Columns other than the tag, most needed first.
const PRIORITY: [Col; 4] = [Col::Size, Col::Kind, Col::Digest, Col::Created];
/// Their order on screen.
const ORDER: [Col; 5] = [Col::Tag, Col::Digest, Col::Kind, Col::Size, Col::Created];

/// The columns shown in `width` points, `spacing` apart, in their order on screen.
#[must_use]
pub fn plan(width: f32, spacing: f32) -> Vec<Col> {
    let mut used = TAG_MIN;
    let mut shown = vec![Col::Tag];
    for col in PRIORITY {
        let needed = col.width() + spacing;
        if used + needed <= width {
            used += needed;
            shown.push(col);
        }
    }
    ORDER.into_iter().filter(|c| shown.contains(c)).collect()
}

#[cfg(test)]
mod tests {
    use super::{Col, plan};

    #[test]
    fn a_wide_table_shows_every_column_in_order() {
        assert_eq!(
            plan(900.0, 8.0),
            vec![Col::Tag, Col::Digest, Col::Kind, Col::Size, Col::Created]
        );
    }

    #[test]
    fn a_narrow_table_drops_the_least_needed_columns_first() {
        assert_eq!(plan(420.0, 8.0), vec![Col::Tag, Col::Kind, Col::Size]);
        assert_eq!(plan(250.0, 8.0), vec![Col::Tag, Col::Size]);
        assert_eq!(plan(100.0, 8.0), vec![Col::Tag]);
    }
}
