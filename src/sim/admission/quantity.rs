//! `resource.Quantity` parsing and canonical form (apimachinery
//! `pkg/api/resource/quantity.go`): the apiserver accepts `cpu: 0.5` or `memory: 1024Mi`
//! and stores the canonical string (`500m`, `1Gi`), and rejects `1gb` with the regex
//! message below.

/// `resource.ErrFormatWrong`.
pub const FORMAT_WRONG: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
/// `resource.ErrNumeric`.
pub const NUMERIC: &str = "unable to parse numeric part of quantity";
/// `resource.ErrSuffix`.
pub const SUFFIX: &str = "unable to parse quantity's suffix";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    DecimalSi,
    BinarySi,
    DecimalExponent,
}

/// A parsed quantity: `mantissa × 10^exponent`, in the format its suffix asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Parsed {
    mantissa: i128,
    exponent: i32,
    format: Format,
}

/// Parses and canonicalizes: `0.5` → `500m`, `1024Mi` → `1Gi`, `1000m` → `1`.
pub fn canonicalize(input: &str) -> Result<String, &'static str> {
    let parsed = parse(input.trim())?;
    Ok(format(parsed).unwrap_or_else(|| input.trim().to_string()))
}

fn parse(s: &str) -> Result<Parsed, &'static str> {
    let (negative, rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let number_len = rest
        .bytes()
        .take_while(|c| c.is_ascii_digit() || *c == b'.')
        .count();
    if number_len == 0 {
        return Err(FORMAT_WRONG);
    }
    let (number, suffix) = rest.split_at(number_len);
    if !suffix_matches_regex(suffix) {
        return Err(FORMAT_WRONG);
    }
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if fraction.contains('.') || (whole.is_empty() && fraction.is_empty()) {
        return Err(NUMERIC);
    }
    let digits = format!("{whole}{fraction}");
    // Keep at most 30 significant digits; beyond that Kubernetes rounds anyway.
    let digits = digits.trim_start_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    if digits.len() > 30 {
        return Err(NUMERIC);
    }
    let mut mantissa: i128 = digits.parse().map_err(|_| NUMERIC)?;
    let mut exponent = -(fraction.len() as i32);
    let format = match suffix {
        "" | "n" | "u" | "m" | "k" | "M" | "G" | "T" | "P" | "E" => {
            exponent += match suffix {
                "n" => -9,
                "u" => -6,
                "m" => -3,
                "k" => 3,
                "M" => 6,
                "G" => 9,
                "T" => 12,
                "P" => 15,
                "E" => 18,
                _ => 0,
            };
            Format::DecimalSi
        }
        "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei" => {
            let power = ["Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]
                .iter()
                .position(|p| *p == suffix)
                .unwrap_or(0)
                + 1;
            mantissa = mantissa.checked_mul(1i128 << (10 * power)).ok_or(NUMERIC)?;
            Format::BinarySi
        }
        _ if suffix.starts_with(['e', 'E']) => {
            let e: i32 = suffix[1..].parse().map_err(|_| SUFFIX)?;
            exponent = exponent.checked_add(e).ok_or(SUFFIX)?;
            Format::DecimalExponent
        }
        _ => return Err(SUFFIX),
    };
    if negative {
        mantissa = -mantissa;
    }
    Ok(Parsed {
        mantissa,
        exponent,
        format,
    })
}

/// A quantity to add up and print, as kubectl's describe does with requests and limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quantity(Parsed);

impl Quantity {
    pub fn zero() -> Quantity {
        Quantity(Parsed {
            mantissa: 0,
            exponent: 0,
            format: Format::DecimalSi,
        })
    }
    pub fn parse(text: &str) -> Option<Quantity> {
        parse(text.trim()).ok().map(Quantity)
    }
    /// The value in units (cores, bytes).
    pub fn value(self) -> f64 {
        self.0.mantissa as f64 * 10f64.powi(self.0.exponent)
    }
    /// The larger of two (`Cmp`), for init containers' requests.
    pub fn max(self, other: Quantity) -> Quantity {
        if other.value() > self.value() {
            other
        } else {
            self
        }
    }
}

impl std::ops::Add for Quantity {
    type Output = Quantity;

    /// `Quantity.Add`: exact sum; a zero takes the other's format.
    fn add(self, other: Quantity) -> Quantity {
        Quantity(sum(self.0, other.0))
    }
}

/// The exact sum of two parsed quantities, at the finer of their exponents.
fn sum(a: Parsed, b: Parsed) -> Parsed {
    let exponent = a.exponent.min(b.exponent);
    let scale = |p: Parsed| {
        10i128
            .checked_pow((p.exponent - exponent) as u32)
            .and_then(|f| p.mantissa.checked_mul(f))
            .unwrap_or(i128::MAX / 2)
    };
    let format = if a.mantissa == 0 { b.format } else { a.format };
    Parsed {
        mantissa: scale(a).saturating_add(scale(b)),
        exponent,
        format,
    }
}

impl std::fmt::Display for Quantity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match format(self.0) {
            Some(s) => f.write_str(&s),
            None => write!(f, "{}", self.value()),
        }
    }
}

/// `[eEinumkKMGTP]*[-+]?[0-9]*`
fn suffix_matches_regex(suffix: &str) -> bool {
    let letters = suffix
        .bytes()
        .take_while(|c| b"eEinumkKMGTP".contains(c))
        .count();
    let rest = &suffix[letters..];
    let rest = rest.strip_prefix(['-', '+']).unwrap_or(rest);
    rest.bytes().all(|c| c.is_ascii_digit())
}

/// `Quantity.String()`; `None` when the value is too large for this arithmetic.
fn format(q: Parsed) -> Option<String> {
    let (mut mantissa, mut exponent) = normalize(q.mantissa, q.exponent);
    if mantissa == 0 {
        return Some("0".to_string());
    }
    if q.format == Format::BinarySi {
        if let Some(s) = format_binary(mantissa, exponent) {
            return Some(s);
        }
    }
    // Quantities are never finer than a nano unit: round up, away from zero.
    if exponent < -9 {
        let divisor = 10i128.checked_pow((-9 - exponent) as u32)?;
        let rounded = mantissa / divisor
            + if mantissa % divisor != 0 {
                mantissa.signum()
            } else {
                0
            };
        (mantissa, exponent) = normalize(rounded, -9);
    }
    let exp3 = exponent.div_euclid(3) * 3;
    let mantissa = mantissa.checked_mul(10i128.checked_pow((exponent - exp3) as u32)?)?;
    let suffix = if q.format == Format::DecimalExponent {
        if exp3 == 0 {
            String::new()
        } else {
            format!("e{exp3}")
        }
    } else {
        match exp3 {
            -9 => "n",
            -6 => "u",
            -3 => "m",
            0 => "",
            3 => "k",
            6 => "M",
            9 => "G",
            12 => "T",
            15 => "P",
            18 => "E",
            _ => return None,
        }
        .to_string()
    };
    Some(format!("{mantissa}{suffix}"))
}

fn normalize(mut mantissa: i128, mut exponent: i32) -> (i128, i32) {
    while mantissa != 0 && mantissa % 10 == 0 {
        mantissa /= 10;
        exponent += 1;
    }
    (mantissa, exponent)
}

/// Binary SI is kept only for whole numbers of at least 1024 (else DecimalSI).
fn format_binary(mantissa: i128, exponent: i32) -> Option<String> {
    if exponent < 0 {
        return None;
    }
    let value = mantissa.checked_mul(10i128.checked_pow(exponent as u32)?)?;
    if value.abs() < 1024 {
        return None;
    }
    let suffixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
    let mut power = 0;
    while power < 6 && value % (1i128 << (10 * (power + 1))) == 0 {
        power += 1;
    }
    Some(format!("{}{}", value >> (10 * power), suffixes[power]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_print_like_quantity_add() {
        let total = |qs: &[&str]| {
            qs.iter()
                .filter_map(|q| Quantity::parse(q))
                .fold(Quantity::zero(), |a, b| a + b)
                .to_string()
        };
        assert_eq!(total(&["100m", "250m"]), "350m");
        assert_eq!(total(&["1", "25m", "100m"]), "1125m");
        assert_eq!(total(&["500m", "500m"]), "1");
        assert_eq!(total(&["70Mi", "100Mi"]), "170Mi");
        assert_eq!(total(&["1Gi", "512Mi"]), "1536Mi");
        assert_eq!(total(&[]), "0");
        assert_eq!(total(&["0", "50Mi"]), "50Mi");
    }

    #[test]
    fn canonical_forms() {
        let cases = [
            ("0.5", "500m"),
            ("500m", "500m"),
            ("1000m", "1"),
            ("128", "128"),
            ("1000", "1k"),
            ("1500", "1500"),
            ("0.1", "100m"),
            ("128Mi", "128Mi"),
            ("1024Mi", "1Gi"),
            ("1.5Gi", "1536Mi"),
            ("0.5Gi", "512Mi"),
            ("512", "512"),
            ("1Ki", "1Ki"),
            ("100M", "100M"),
            ("1e3", "1e3"),
            ("1.5e3", "1500"),
            ("0", "0"),
            ("250m", "250m"),
            ("2", "2"),
            ("1G", "1G"),
            ("-1", "-1"),
        ];
        for (input, want) in cases {
            assert_eq!(canonicalize(input).as_deref(), Ok(want), "{input}");
        }
    }

    #[test]
    fn rejects_what_kubernetes_rejects() {
        let cases = [
            ("1gb", FORMAT_WRONG),
            ("abc", FORMAT_WRONG),
            ("", FORMAT_WRONG),
            ("1.2.3", NUMERIC),
            ("1Mb", FORMAT_WRONG),
            ("5ki", SUFFIX),
        ];
        for (input, want) in cases {
            assert_eq!(canonicalize(input), Err(want), "{input}");
        }
    }
}
