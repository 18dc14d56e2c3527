//! The orders of a tags list: by name (natural order), by created date or by size, either
//! way. Unknown dates and sizes go last in both directions; ties break in natural order.
//! Shared by the window's table (which sorts off the UI thread) and `berth tags --sort`.

use super::TagFacts;
use std::cmp::Ordering;

/// What a tags list is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum SortKey {
    #[default]
    Name,
    Created,
    Size,
}

/// A key and a direction: ascending is A first, oldest first, smallest first; `reverse`
/// flips it (unknown values stay last).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct SortOrder {
    pub key: SortKey,
    pub reverse: bool,
}

impl SortKey {
    /// The value of `facts` this key sorts by.
    fn value(self, facts: Option<&TagFacts>) -> Option<i128> {
        let facts = facts?;
        match self {
            Self::Name => Some(0),
            Self::Created => facts.created.map(i128::from),
            Self::Size => facts.size.map(i128::from),
        }
    }
}

/// `tags` in `order`: the indices of `tags`. `facts[i]` is what is known of `tags[i]`.
#[must_use]
pub fn order(tags: &[String], facts: &[Option<TagFacts>], order: SortOrder) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..tags.len()).collect();
    if order.key == SortKey::Name {
        let keys: Vec<crate::natural_sort::Key> = tags
            .iter()
            .map(|t| crate::natural_sort::Key::new(t))
            .collect();
        idx.sort_by(|&a, &b| keys[a].cmp(&keys[b]));
        if order.reverse {
            idx.reverse();
        }
        return idx;
    }
    let values: Vec<Option<i128>> = (0..tags.len())
        .map(|i| order.key.value(facts.get(i).and_then(Option::as_ref)))
        .collect();
    idx.sort_by(|&a, &b| {
        let by_value = match (values[a], values[b]) {
            (Some(x), Some(y)) if order.reverse => y.cmp(&x),
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
        by_value.then_with(|| crate::natural_sort::compare(&tags[a], &tags[b]))
    });
    idx
}

#[cfg(test)]
mod tests {
    use super::{SortKey, SortOrder, TagFacts, order};

    fn facts(created: Option<i64>, size: Option<u64>) -> Option<TagFacts> {
        Some(TagFacts { created, size })
    }

    #[test]
    fn unknown_values_go_last_both_ways_and_ties_break_naturally() {
        let tags: Vec<String> = ["v10", "v2", "v1", "x", "y"].map(String::from).to_vec();
        let known = vec![
            facts(Some(30), Some(5)),
            facts(Some(10), Some(7)),
            facts(Some(30), Some(1)),
            facts(None, None),
            None,
        ];
        let by = |key, reverse| order(&tags, &known, SortOrder { key, reverse });
        assert_eq!(by(SortKey::Created, false), [1, 2, 0, 3, 4]);
        assert_eq!(by(SortKey::Created, true), [2, 0, 1, 3, 4]);
        assert_eq!(by(SortKey::Size, false), [2, 0, 1, 3, 4]);
        assert_eq!(by(SortKey::Size, true), [1, 0, 2, 3, 4]);
        assert_eq!(by(SortKey::Name, false), [2, 1, 0, 3, 4]);
        assert_eq!(by(SortKey::Name, true), [4, 3, 0, 1, 2]);
    }
}
