//! Groups repository names by path segment (`team/app/api` under `team/` → `app/`) and
//! flattens the open part of that tree into rows, so the list stays virtualised. A chain of
//! groups with one child each (`deep/a/b/c/`) is shown as one group.

use std::collections::{BTreeMap, HashSet};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TreeRow {
    pub depth: usize,
    /// What the row shows: a segment (`api`) or a merged chain of them (`deep/a/b`).
    pub segment: String,
    /// The full path of this node (`team/app`), the key for opening and closing groups.
    pub path: String,
    /// `Some(name)` for a repository row, `None` for a group row.
    pub repo: Option<String>,
    /// For a group: how many repositories it holds, at any depth.
    pub count: usize,
}

#[derive(Default)]
struct Node {
    is_repo: bool,
    /// Repositories at or below this node.
    count: usize,
    children: BTreeMap<String, Node>,
}

/// The rows to show: groups in `expanded` (or all, while filtering) are open.
pub fn rows<'a>(
    names: impl Iterator<Item = &'a str>,
    expanded: &HashSet<String>,
    expand_all: bool,
) -> Vec<TreeRow> {
    let mut root = Node::default();
    for name in names {
        let mut node = &mut root;
        for seg in name.split('/') {
            node = node.children.entry(seg.to_owned()).or_default();
            node.count += 1;
        }
        node.is_repo = true;
    }
    let mut out = Vec::new();
    walk(&root, "", 0, expanded, expand_all, &mut out);
    out
}

fn walk(
    node: &Node,
    prefix: &str,
    depth: usize,
    expanded: &HashSet<String>,
    expand_all: bool,
    out: &mut Vec<TreeRow>,
) {
    for (seg, child) in &node.children {
        let mut path = join(prefix, seg);
        let mut segment = seg.clone();
        let mut child = child;
        if child.is_repo {
            out.push(TreeRow {
                depth,
                segment: segment.clone(),
                path: path.clone(),
                repo: Some(path.clone()),
                count: 1,
            });
        }
        if child.children.is_empty() {
            continue;
        }
        // Merge a chain of single-child groups into one row.
        while !child.is_repo && child.children.len() == 1 {
            let Some((next_seg, next)) = child.children.iter().next() else {
                break;
            };
            if next.children.is_empty() {
                break;
            }
            path = join(&path, next_seg);
            segment = format!("{segment}/{next_seg}");
            child = next;
        }
        out.push(TreeRow {
            depth,
            segment,
            path: path.clone(),
            repo: None,
            count: child.count - usize::from(child.is_repo),
        });
        if expand_all || expanded.contains(&path) {
            walk(child, &path, depth + 1, expanded, expand_all, out);
        }
    }
}

fn join(prefix: &str, seg: &str) -> String {
    if prefix.is_empty() {
        seg.to_owned()
    } else {
        format!("{prefix}/{seg}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_merge_chains_and_open_on_demand() {
        let names = [
            "alpine",
            "deep/a/b/c/image",
            "team/app/api",
            "team/app/web",
            "team/tools",
        ];
        let closed = rows(names.iter().copied(), &HashSet::new(), false);
        let shown: Vec<_> = closed.iter().map(|r| r.segment.as_str()).collect();
        assert_eq!(shown, ["alpine", "deep/a/b/c", "team"]);
        assert_eq!(closed[1].repo, None);
        assert_eq!(closed[2].count, 3, "team holds three repositories");

        let open: HashSet<String> = ["team".to_owned(), "team/app".to_owned()].into();
        let rows = rows(names.iter().copied(), &open, false);
        let shown: Vec<_> = rows.iter().map(|r| (r.depth, r.segment.as_str())).collect();
        assert_eq!(
            shown,
            [
                (0, "alpine"),
                (0, "deep/a/b/c"),
                (0, "team"),
                (1, "app"),
                (2, "api"),
                (2, "web"),
                (1, "tools"),
            ]
        );
        assert_eq!(rows[4].repo.as_deref(), Some("team/app/api"));
    }
}
