//! Dispatch plans already solved, shared by the threads of an ensemble: the
//! [`PlanStore`] and each thread's [`PlanCache`] door to it (docs/model.md §5: a plan is a
//! pure function of the conditions, so the store changes speed, never a result).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::network::{Conditions, Network, Plan, PlanStart};

/// A fast, deterministic hasher for the plan cache's keys (words of conditions): FxHash's
/// multiply-rotate. Only lookups use it, never an iteration order, so no output depends on it.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn finish(&self) -> u64 {
        // The multiply leaves the low bits (the table's bucket index) depending only on the
        // low bits of the words, and the words of a key are mostly `f64` bits whose low
        // mantissa bits are zero: fold the high half down so every bit counts.
        let h = self.0;
        (h ^ (h >> 32)).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ (h >> 29)
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.write_u64(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.write_u64(u64::from_le_bytes(w));
        }
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = mix(self.0, x);
    }
    fn write_u32(&mut self, x: u32) {
        self.write_u64(u64::from(x));
    }
    fn write_usize(&mut self, x: usize) {
        self.write_u64(x as u64);
    }
}

/// Builds [`FxHasher`]s.
pub(crate) type FxBuild = std::hash::BuildHasherDefault<FxHasher>;

/// The key of a plan: the words of the conditions, and their hash, computed once as the
/// words are written (a lookup then hashes one word, not the hundred of the conditions,
/// and a key extended by the fleet continues the hash of the conditions). Equal words give
/// equal hashes, so the maps find exactly what they would with the words alone.
#[derive(Clone, Default, PartialEq, Eq)]
struct Key {
    hash: u64,
    words: Vec<u64>,
}

impl Key {
    /// Empties the key.
    fn clear(&mut self) {
        self.hash = 0;
        self.words.clear();
    }

    /// Appends word `w`.
    fn push(&mut self, w: u64) {
        self.hash = mix(self.hash, w);
        self.words.push(w);
    }

    /// Appends the words of `ws` (written first, then hashed in one pass).
    fn extend(&mut self, ws: impl Iterator<Item = u64>) {
        let from = self.words.len();
        self.words.extend(ws);
        self.hash = self.words[from..].iter().fold(self.hash, |h, w| mix(h, *w));
    }

    /// This key made the copy of `other`, reusing its own buffer.
    fn copy_from(&mut self, other: &Key) {
        self.hash = other.hash;
        self.words.clone_from(&other.words);
    }
}

impl std::hash::Hash for Key {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

/// FxHash's step: one word into the running hash `h` ([`FxHasher`] and [`Key`] share it).
#[inline]
fn mix(h: u64, w: u64) -> u64 {
    (h.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95)
}

/// A map of plans (or plan starts) by [`Key`].
type Plans<T> = Mutex<HashMap<Key, Arc<T>, FxBuild>>;

/// Dispatch plans already solved, by network state, shared by every thread of an
/// ensemble through [`PlanCache`]s. A plan is a pure function of the conditions, so which
/// thread solved it, or whether it was solved twice, changes no result, only speed.
///
/// Two maps, as [`Network::plan`] is built: the plan without a fleet limit, keyed on
/// everything but the fleet (it serves whenever it fits the fleet), and the plan with the
/// limit, keyed on everything. The locks are held for a lookup or an insert, never for a
/// solve.
#[derive(Default)]
pub struct PlanStore {
    unlimited: Plans<Plan>,
    limited: Plans<Plan>,
    /// Keyed like `unlimited`: the routes and constraints every fleet-limited plan under
    /// those conditions starts from, whatever the fleet.
    starts: Plans<PlanStart>,
    /// Plans asked for ([`PlanCache::plan`] calls).
    asked: AtomicU64,
    /// Programmes solved: a plan without the fleet limit, or one with it.
    solved: AtomicU64,
    /// Wall time spent in those solves (and in building a [`PlanStart`]), nanoseconds.
    solve_nanos: AtomicU64,
}

/// What a [`PlanStore`] did so far: how often the plans' inputs repeat, and what a solve
/// costs (`blockade::model::PlanStore::stats`; the bench `plans` prints it for Bamako).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanStats {
    /// Plans asked for: one per replan of every replication.
    pub asked: u64,
    /// Programmes solved for them; the others were served from the store.
    pub solved: u64,
    /// Wall time spent solving, nanoseconds, summed over the threads.
    pub solve_nanos: u64,
}

impl PlanStore {
    /// Most plans kept per map; a map is emptied when it grows past this.
    const MAX_ENTRIES: usize = 1 << 14;

    /// An empty store, to be shared by the [`PlanCache`]s of one network's replications.
    pub fn new() -> Arc<PlanStore> {
        Arc::new(PlanStore::default())
    }

    /// What the store did so far.
    pub fn stats(&self) -> PlanStats {
        PlanStats {
            asked: self.asked.load(Ordering::Relaxed),
            solved: self.solved.load(Ordering::Relaxed),
            solve_nanos: self.solve_nanos.load(Ordering::Relaxed),
        }
    }

    fn get<T>(map: &Plans<T>, key: &Key) -> Option<Arc<T>> {
        lock(map).get(key).cloned()
    }

    /// `solve()`, counted and timed.
    fn solve<T>(&self, solve: impl FnOnce() -> T) -> T {
        let t0 = std::time::Instant::now();
        let out = solve();
        let nanos = u64::try_from(t0.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.solve_nanos.fetch_add(nanos, Ordering::Relaxed);
        out
    }

    fn put<T>(map: &Plans<T>, key: &Key, plan: &Arc<T>) {
        let mut m = lock(map);
        if m.len() >= Self::MAX_ENTRIES {
            m.clear();
        }
        m.insert(key.clone(), Arc::clone(plan));
    }
}

/// A poisoned lock still holds valid plans (a panicking thread never leaves a map half
/// changed: inserts and clears are single calls).
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// One thread's door to a [`PlanStore`]: it builds the keys of the conditions in buffers
/// of its own (no allocation per lookup once warm) and solves on a miss.
pub struct PlanCache {
    store: Arc<PlanStore>,
    /// The conditions without the fleet.
    key: Key,
    /// The conditions and the fleet.
    full: Key,
}

impl Default for PlanCache {
    fn default() -> Self {
        PlanCache::new()
    }
}

impl PlanCache {
    /// A cache with a store of its own.
    pub fn new() -> PlanCache {
        PlanCache::sharing(&PlanStore::new())
    }

    /// A cache that reads and fills `store`, shared with other threads simulating the
    /// same network.
    pub fn sharing(store: &Arc<PlanStore>) -> PlanCache {
        PlanCache {
            store: Arc::clone(store),
            key: Key::default(),
            full: Key::default(),
        }
    }

    /// The plan for conditions `c` (equal to `net.plan(c)`), solved on a miss.
    pub fn plan(&mut self, net: &Network, c: &Conditions) -> Arc<Plan> {
        self.key.clear();
        let mut bits = 0u64;
        for (i, open) in c.open.iter().enumerate() {
            bits |= u64::from(*open) << (i % 64);
            if i % 64 == 63 {
                self.key.push(bits);
                bits = 0;
            }
        }
        self.key.push(bits);
        self.key
            .extend(c.risk_multiplier.iter().map(|m| m.to_bits()));
        self.key
            .extend(c.supply_trucks_per_day.iter().map(|m| m.to_bits()));
        self.key.push(c.escort_units.to_bits());
        let store = &*self.store;
        store.asked.fetch_add(1, Ordering::Relaxed);
        let relaxed = match PlanStore::get(&store.unlimited, &self.key) {
            Some(p) => p,
            None => {
                store.solved.fetch_add(1, Ordering::Relaxed);
                let p = Arc::new(store.solve(|| net.plan_fleet_unlimited(c)));
                PlanStore::put(&store.unlimited, &self.key, &p);
                p
            }
        };
        if relaxed.fits_fleet(c) {
            return relaxed;
        }
        self.full.copy_from(&self.key);
        self.full.extend(c.fleet_trucks.iter().map(|m| m.to_bits()));
        if let Some(p) = PlanStore::get(&store.limited, &self.full) {
            return p;
        }
        // Solved from the routes and constraints of these conditions, kept for any fleet.
        store.solved.fetch_add(1, Ordering::Relaxed);
        let start = match PlanStore::get(&store.starts, &self.key) {
            Some(s) => s,
            None => {
                let s = Arc::new(store.solve(|| net.plan_start(c)));
                PlanStore::put(&store.starts, &self.key, &s);
                s
            }
        };
        let plan = Arc::new(store.solve(|| net.plan_fleet_limited_from(&start, c)));
        PlanStore::put(&store.limited, &self.full, &plan);
        plan
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    /// The store counts every plan asked for and solves a plan's conditions once: the
    /// same conditions again are served from it, and a second cache sharing the store
    /// finds them too; the plan served is the network's.
    #[test]
    fn the_store_solves_each_conditions_once_and_counts_it() {
        let s = crate::scenario::bundled("bamako-2025.ron");
        let net = Network::build(&s);
        let store = PlanStore::new();
        let mut cache = PlanCache::sharing(&store);
        let c = Conditions::at_day(&s, 10.0);
        let first = cache.plan(&net, &c);
        let once = store.stats();
        assert_eq!(once.asked, 1);
        assert!(once.solved >= 1 && once.solve_nanos > 0, "{once:?}");
        let again = PlanCache::sharing(&store).plan(&net, &c);
        let twice = store.stats();
        assert_eq!((twice.asked, twice.solved), (2, once.solved));
        assert!(Arc::ptr_eq(&first, &again));
        assert_eq!(*first, net.plan(&c));
        // Other conditions: a new solve.
        let mut other = c.clone();
        other.escort_units += 1.0;
        cache.plan(&net, &other);
        assert!(store.stats().solved > once.solved);
    }

    /// A key extended from a copy of another is the key written at once: same words, same
    /// hash, found in a map under either (the fleet-limited plan's key continues the
    /// conditions' key this way); a different word gives a different key.
    #[test]
    fn a_key_continued_from_a_copy_is_the_key_written_at_once() {
        let words: Vec<u64> = (0..150u64)
            .map(|i| (i as f64 * 0.37 + 1.0).to_bits())
            .collect();
        let mut once = Key::default();
        once.extend(words.iter().copied());
        let mut prefix = Key::default();
        prefix.extend(words[..90].iter().copied());
        let mut full = Key::default();
        full.push(12345);
        full.copy_from(&prefix);
        full.extend(words[90..].iter().copied());
        assert!(full == once);
        let b = FxBuild::default();
        assert_eq!(b.hash_one(&full), b.hash_one(&once));
        let mut map: HashMap<Key, u32, FxBuild> = HashMap::default();
        map.insert(once.clone(), 7);
        assert_eq!(map.get(&full), Some(&7));
        // After a clear, the key hashes from scratch again.
        full.clear();
        full.extend(words.iter().copied());
        assert_eq!(map.get(&full), Some(&7));
        let mut other = Key::default();
        other.extend(words[..149].iter().copied());
        other.push(words[149] ^ 1);
        assert!(other != once);
        assert_eq!(map.get(&other), None);
    }
}
