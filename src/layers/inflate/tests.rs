//! The inflater against what flate2 encodes, and resumed from every checkpoint.

use super::*;
use std::io::Write as _;

/// Text-like data with repeats, some random bytes, and a long run.
fn sample(len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len);
    let mut x: u32 = 12345;
    while out.len() < len {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        match (x >> 16) % 4 {
            0 => out.extend_from_slice(b"the quick brown fox jumps over the lazy dog\n"),
            1 => out.extend((0..64).map(|i| (x >> (i % 24)) as u8)),
            2 => out.extend(std::iter::repeat_n((x >> 8) as u8, 300)),
            _ => out.extend_from_slice(format!("line {x}\n").as_bytes()),
        }
    }
    out.truncate(len);
    out
}

fn gzip(data: &[u8], level: u32) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(level));
    gz.write_all(data).unwrap();
    gz.finish().unwrap()
}

fn inflate_all(blob: &[u8], interval: u64) -> (Vec<u8>, Vec<Checkpoint>) {
    let mut inflater = Inflater::new(blob, interval);
    let mut out = Vec::new();
    inflater.read_to_end(&mut out).unwrap();
    (out, inflater.take_checkpoints())
}

#[test]
fn decodes_what_flate2_encodes_at_every_level() {
    let data = sample(700_000);
    for level in [0, 1, 6, 9] {
        let (out, _) = inflate_all(&gzip(&data, level), 0);
        assert!(out == data, "level {level}");
    }
}

#[test]
fn decodes_every_member() {
    let (a, b) = (sample(100_000), sample(5_000));
    let mut blob = gzip(&a, 6);
    blob.extend(gzip(&b, 1));
    let (out, _) = inflate_all(&blob, 0);
    assert!(out == [a, b].concat());
}

#[test]
fn resumes_from_every_checkpoint() {
    let data = sample(2_000_000);
    for level in [1, 6] {
        let blob = gzip(&data, level);
        let (out, checkpoints) = inflate_all(&blob, 4 * 1024);
        assert!(out == data);
        assert!(
            checkpoints.len() >= 2,
            "{} in {}",
            checkpoints.len(),
            blob.len()
        );
        for at in &checkpoints {
            let from = &blob[(at.in_bits / 8) as usize..];
            let mut resumed = Inflater::resume(from, at).unwrap();
            let mut rest = Vec::new();
            resumed.read_to_end(&mut rest).unwrap();
            assert!(rest == data[at.out as usize..], "level {level} at {at:?}");
        }
    }
}

#[test]
fn a_changed_byte_is_an_error_or_other_bytes() {
    let data = sample(200_000);
    let mut blob = gzip(&data, 6);
    let middle = blob.len() / 2;
    blob[middle] ^= 0x40;
    let mut out = Vec::new();
    let result = Inflater::new(blob.as_slice(), 0).read_to_end(&mut out);
    assert!(result.is_err(), "the CRC catches what the codes do not");
}

#[test]
fn a_truncated_stream_ends_early() {
    let blob = gzip(&sample(100_000), 6);
    let mut out = Vec::new();
    let result = Inflater::new(&blob[..blob.len() / 2], 0).read_to_end(&mut out);
    assert_eq!(
        result.map_err(|e| e.kind()).err(),
        Some(io::ErrorKind::UnexpectedEof)
    );
}

#[test]
fn damaged_streams_end_in_errors_or_bytes_never_in_a_panic() {
    let blob = gzip(&sample(30_000), 6);
    let mut x: u32 = 7;
    for _ in 0..300 {
        let mut damaged = blob.clone();
        for _ in 0..3 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            let at = (x as usize >> 8) % damaged.len();
            damaged[at] ^= 1 << (x % 8);
        }
        let mut out = Vec::new();
        let _ = Inflater::new(damaged.as_slice(), 1024).read_to_end(&mut out);
        assert!(out.len() < 64 * 1024 * 1024);
    }
}
