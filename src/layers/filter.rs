//! Narrowing a tree: the path filter of the Files view (a glob, or a substring) and the
//! generic [`FileTree::filter`] that keeps matching nodes and the directories above them.

use super::builder::roll_up;
use super::tree::{FileTree, Node, NodeId};

/// What the user typed in the filter box. A pattern with `*`, `?`, `[` or `{` is a glob;
/// anything else is a case-insensitive substring of the path.
#[derive(Debug, Clone)]
pub enum PathFilter {
    /// Matches paths without a leading `/`. A glob without `/` matches the file name
    /// anywhere (`*.so`), one with `/` the whole path (`usr/lib/**/*.so`).
    Glob {
        matcher: globset::GlobMatcher,
        whole_path: bool,
    },
    Substring(Vec<u8>),
}

#[derive(Debug, thiserror::Error)]
#[error("invalid glob {pattern:?}: {reason}")]
pub struct FilterError {
    pub pattern: String,
    pub reason: String,
}

impl PathFilter {
    pub fn parse(pattern: &str) -> Result<Self, FilterError> {
        let trimmed = pattern.trim().trim_start_matches('/');
        if trimmed.contains(['*', '?', '[', '{']) {
            let glob = globset::GlobBuilder::new(trimmed)
                .literal_separator(true)
                .backslash_escape(true)
                .build()
                .map_err(|e| FilterError {
                    pattern: pattern.to_owned(),
                    reason: e.kind().to_string(),
                })?;
            Ok(Self::Glob {
                matcher: glob.compile_matcher(),
                whole_path: trimmed.contains('/'),
            })
        } else {
            Ok(Self::Substring(trimmed.to_ascii_lowercase().into_bytes()))
        }
    }

    /// Does `path` (as [`FileTree::path`] gives it) match?
    #[must_use]
    pub fn matches(&self, path: &[u8]) -> bool {
        match self {
            Self::Glob {
                matcher,
                whole_path,
            } => {
                let subject = if *whole_path {
                    path
                } else {
                    path.rsplit(|b| *b == b'/').next().unwrap_or(path)
                };
                // globset matches on paths; names that are not UTF-8 are matched lossily.
                matcher.is_match(String::from_utf8_lossy(subject).as_ref())
            }
            Self::Substring(needle) => {
                needle.is_empty()
                    || path
                        .windows(needle.len())
                        .any(|w| w.eq_ignore_ascii_case(needle))
            }
        }
    }
}

impl FileTree {
    /// A new tree with the nodes for which `keep(tree, id, path)` holds and every directory
    /// above them. Sizes are rolled up again over what is kept. `path` is what
    /// [`FileTree::path`] would return, built incrementally (no per-node allocation).
    #[must_use]
    pub fn filter(&self, mut keep: impl FnMut(&Self, NodeId, &[u8]) -> bool) -> Self {
        let mut kept = vec![false; self.nodes.len()];
        kept[0] = true;
        let mut path: Vec<u8> = Vec::new();
        // (node, path length before this node's name was appended)
        let mut stack: Vec<(NodeId, usize)> = self
            .children(Self::ROOT)
            .iter()
            .rev()
            .map(|c| (*c, 0))
            .collect();
        while let Some((id, base)) = stack.pop() {
            path.truncate(base);
            if base > 0 {
                path.push(b'/');
            }
            path.extend_from_slice(self.name(id));
            kept[id.index()] = keep(self, id, &path);
            let here = path.len();
            stack.extend(self.children(id).iter().rev().map(|c| (*c, here)));
        }
        for i in (1..self.nodes.len()).rev() {
            if kept[i] {
                kept[self.nodes[i].parent as usize] = true;
            }
        }
        self.subset(&kept)
    }

    /// Keeps the nodes whose path matches `filter` (and their directories).
    #[must_use]
    pub fn filter_paths(&self, filter: &PathFilter) -> Self {
        self.filter(|_, _, path| filter.matches(path))
    }

    fn subset(&self, kept: &[bool]) -> Self {
        let mut map = vec![u32::MAX; self.nodes.len()];
        let mut nodes: Vec<Node> = Vec::with_capacity(kept.iter().filter(|k| **k).count());
        let mut names = Vec::new();
        for (i, n) in self.nodes.iter().enumerate() {
            if !kept[i] {
                continue;
            }
            map[i] = nodes.len() as u32;
            let mut copy = *n;
            copy.parent = map[n.parent as usize];
            copy.name = push(&mut names, self.name(NodeId(i as u32)));
            copy.link = self
                .link_target(NodeId(i as u32))
                .map(|t| push(&mut names, t));
            nodes.push(copy);
        }
        let mut children = Vec::with_capacity(nodes.len());
        let mut new_index = 0;
        for (i, n) in self.nodes.iter().enumerate() {
            if !kept[i] {
                continue;
            }
            let start = children.len();
            let first = n.children_start as usize;
            for c in &self.children[first..first + n.children_len as usize] {
                let m = map[c.index()];
                if m != u32::MAX {
                    children.push(NodeId(m));
                }
            }
            let node = &mut nodes[new_index];
            node.children_start = start as u32;
            node.children_len = (children.len() - start) as u32;
            new_index += 1;
        }
        roll_up(&mut nodes);
        Self {
            nodes,
            names,
            children,
        }
    }
}

fn push(names: &mut Vec<u8>, bytes: &[u8]) -> super::entry::Span {
    let start = names.len() as u32;
    names.extend_from_slice(bytes);
    super::entry::Span {
        start,
        len: bytes.len() as u32,
    }
}
