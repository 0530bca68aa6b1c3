//! The geography under the network map: country borders, country names and capitals of
//! West Africa, from `assets/maps/west-africa.txt` (Natural Earth, public domain; made once
//! by `scripts/west_africa_basemap.py`, licence note in `assets/maps/LICENSE-basemap.txt`).
//! The data is compiled into the program: nothing is read or downloaded at run time.

use std::sync::OnceLock;

/// The basemap file, compiled in.
const DATA: &str = include_str!("../../../../assets/maps/west-africa.txt");

/// One country, clipped to the basemap's extent.
#[derive(Debug, Clone)]
pub(crate) struct Country {
    /// Its name (Natural Earth's short form).
    pub name: String,
    /// Where to write its name (lon, lat), if it is large enough to name.
    pub label: Option<(f64, f64)>,
    /// Its outline rings, (lon, lat).
    pub rings: Vec<Vec<(f64, f64)>>,
}

/// A capital city.
#[derive(Debug, Clone)]
pub(crate) struct Capital {
    /// The city.
    pub name: String,
    /// Longitude, latitude.
    pub at: (f64, f64),
}

/// Countries and capitals.
#[derive(Debug, Clone, Default)]
pub(crate) struct Basemap {
    /// Countries, by name.
    pub countries: Vec<Country>,
    /// Capitals of those countries.
    pub capitals: Vec<Capital>,
}

fn number(s: Option<&str>) -> Option<f64> {
    s.and_then(|t| t.trim().parse::<f64>().ok())
        .filter(|v| v.is_finite())
}

/// Parses the basemap text format (see the header of the file).
pub(crate) fn parse(text: &str) -> Basemap {
    let mut map = Basemap::default();
    for line in text.lines() {
        let mut f = line.split('\t');
        match f.next() {
            Some("C") => {
                let name = f.next().unwrap_or_default().to_string();
                let label = number(f.next()).zip(number(f.next()));
                map.countries.push(Country {
                    name,
                    label,
                    rings: Vec::new(),
                });
            }
            Some("R") => {
                let ring: Vec<(f64, f64)> = f
                    .next()
                    .unwrap_or_default()
                    .split(' ')
                    .filter_map(|p| {
                        let (a, b) = p.split_once(',')?;
                        number(Some(a)).zip(number(Some(b)))
                    })
                    .collect();
                if let Some(c) = map.countries.last_mut()
                    && ring.len() >= 3
                {
                    c.rings.push(ring);
                }
            }
            Some("K") => {
                let name = f.next().unwrap_or_default().to_string();
                if let Some(at) = number(f.next()).zip(number(f.next())) {
                    map.capitals.push(Capital { name, at });
                }
            }
            _ => {}
        }
    }
    map
}

/// The compiled-in West Africa basemap.
pub(crate) fn west_africa() -> &'static Basemap {
    static MAP: OnceLock<Basemap> = OnceLock::new();
    MAP.get_or_init(|| parse(DATA))
}

/// Clips polygon `poly` (pixels) to the rectangle `(x0, y0, x1, y1)` (Sutherland–Hodgman).
pub(crate) fn clip(poly: &[(f64, f64)], r: (f64, f64, f64, f64)) -> Vec<(f64, f64)> {
    type Inside = fn(&(f64, f64), f64) -> bool;
    let edges: [(Inside, f64, bool); 4] = [
        (|p, v| p.0 >= v, r.0, true),
        (|p, v| p.0 <= v, r.2, true),
        (|p, v| p.1 >= v, r.1, false),
        (|p, v| p.1 <= v, r.3, false),
    ];
    let mut out: Vec<(f64, f64)> = poly.to_vec();
    for (inside, v, vertical) in edges {
        if out.is_empty() {
            break;
        }
        let src = std::mem::take(&mut out);
        let mut prev = src[src.len() - 1];
        for cur in src {
            let cut = |a: (f64, f64), b: (f64, f64)| {
                if vertical {
                    let t = (v - a.0) / (b.0 - a.0);
                    (v, a.1 + t * (b.1 - a.1))
                } else {
                    let t = (v - a.1) / (b.1 - a.1);
                    (a.0 + t * (b.0 - a.0), v)
                }
            };
            match (inside(&cur, v), inside(&prev, v)) {
                (true, true) => out.push(cur),
                (true, false) => {
                    out.push(cut(prev, cur));
                    out.push(cur);
                }
                (false, true) => out.push(cut(prev, cur)),
                (false, false) => {}
            }
            prev = cur;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_basemap_has_the_corridor_countries_and_their_capitals() {
        let m = west_africa();
        for c in [
            "Mali",
            "Senegal",
            "Guinea",
            "Côte d'Ivoire",
            "Burkina Faso",
            "Niger",
        ] {
            let country = m.countries.iter().find(|x| x.name == c).expect(c);
            assert!(!country.rings.is_empty(), "{c}");
            assert!(country.label.is_some(), "{c} is named");
        }
        let bamako = m.capitals.iter().find(|k| k.name == "Bamako").unwrap();
        assert!((bamako.at.0 + 8.0).abs() < 0.1 && (bamako.at.1 - 12.64).abs() < 0.1);
        // Mali's label point lies in Mali's part of the map: north of Bamako, west of Niger.
        let mali = m.countries.iter().find(|x| x.name == "Mali").unwrap();
        let (lon, lat) = mali.label.unwrap();
        assert!((-12.0..4.0).contains(&lon) && (12.0..25.0).contains(&lat));
    }

    #[test]
    fn clipping_keeps_what_is_inside() {
        let sq = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)];
        let c = clip(&sq, (5.0, -1.0, 20.0, 20.0));
        let xs: Vec<f64> = c.iter().map(|p| p.0).collect();
        assert!(xs.iter().all(|x| (5.0..=10.0).contains(x)), "{c:?}");
        assert_eq!(c.len(), 4);
        assert!(clip(&sq, (20.0, 20.0, 30.0, 30.0)).is_empty());
    }
}
