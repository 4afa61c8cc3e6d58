//! Standard base64 as Go's `encoding/base64.StdEncoding` does it, because Secret `data`
//! is decoded by Go's JSON decoder into `[]byte` and its errors reach the user verbatim
//! (`illegal base64 data at input byte 7`). Offsets follow Go's `decodeQuantum`.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn sextet(c: u8) -> Option<u8> {
    ALPHABET.iter().position(|&a| a == c).map(|p| p as u8)
}

/// Go's `CorruptInputError.Error()`.
pub fn corrupt(offset: usize) -> String {
    format!("illegal base64 data at input byte {offset}")
}

/// Decodes like `base64.StdEncoding.DecodeString`; the error is the byte offset Go reports.
pub fn decode(src: &str) -> Result<Vec<u8>, usize> {
    let src = src.as_bytes();
    let mut out = Vec::with_capacity(src.len() / 4 * 3);
    let mut si = 0;
    loop {
        let mut quantum = [0u8; 4];
        let mut filled = 0;
        let mut finished = false;
        while filled < 4 {
            if si == src.len() {
                if filled == 0 {
                    return Ok(out);
                }
                // StdEncoding has padding, so a short final quantum is corrupt.
                return Err(si - filled);
            }
            let c = src[si];
            si += 1;
            if let Some(v) = sextet(c) {
                quantum[filled] = v;
                filled += 1;
                continue;
            }
            if c == b'\n' || c == b'\r' {
                continue;
            }
            if c != b'=' {
                return Err(si - 1);
            }
            // Padding: only valid after 2 or 3 data characters.
            match filled {
                0 | 1 => return Err(si - 1),
                2 => {
                    si = skip_newlines(src, si);
                    if si == src.len() {
                        return Err(src.len());
                    }
                    if src[si] != b'=' {
                        return Err(si - 1);
                    }
                    si += 1;
                }
                _ => {}
            }
            si = skip_newlines(src, si);
            if si < src.len() {
                return Err(si);
            }
            finished = true;
            break;
        }
        let bits = (u32::from(quantum[0]) << 18)
            | (u32::from(quantum[1]) << 12)
            | (u32::from(quantum[2]) << 6)
            | u32::from(quantum[3]);
        let bytes = [(bits >> 16) as u8, (bits >> 8) as u8, bits as u8];
        let keep = if finished { filled - 1 } else { 3 };
        out.extend_from_slice(&bytes[..keep]);
        if finished {
            return Ok(out);
        }
    }
}

fn skip_newlines(src: &[u8], mut si: usize) -> usize {
    while si < src.len() && (src[si] == b'\n' || src[si] == b'\r') {
        si += 1;
    }
    si
}

/// `base64.StdEncoding.EncodeToString`.
pub fn encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let bits = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((bits >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for s in ["", "a", "ab", "abc", "abcd", "admin", "1f2d1e2e67df"] {
            assert_eq!(decode(&encode(s.as_bytes())).unwrap(), s.as_bytes(), "{s}");
        }
        assert_eq!(encode(b"admin"), "YWRtaW4=");
        assert_eq!(decode("YWRt\naW4=").unwrap(), b"admin");
    }

    #[test]
    fn errors_report_go_offsets() {
        // Go: base64.StdEncoding.DecodeString(x) → CorruptInputError(offset).
        let cases = [
            ("YWRtaW4", 4),                              // short final quantum: si - j
            ("YW!t", 2),                                 // illegal character
            ("-----BEGIN", 0),                           // a PEM block pasted as data
            ("YQ==YQ==", 4),                             // trailing garbage after padding
            ("Y===", 1),                                 // padding after one character
            ("YQ=", 3),                                  // not enough padding
            ("MIIC2DCCAcCgAwIBAgIBATANBgkqh kiG9w", 29), // space inside
        ];
        for (input, offset) in cases {
            assert_eq!(decode(input), Err(offset), "{input}");
        }
        assert_eq!(corrupt(7), "illegal base64 data at input byte 7");
    }
}
