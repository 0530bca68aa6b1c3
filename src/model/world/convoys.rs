//! The convoys on the road: a slab of [`Convoy`] records addressed by [`ConvoyId`], with
//! the slots of finished convoys reused (so that the hot loop does not allocate once the
//! slab has grown to its working size).

use std::ops::{Index, IndexMut};

/// A convoy's slot in the [`Convoys`] slab. A slot is reused once its convoy is gone, so
/// an id names a convoy only while the convoy is on the road (or queued).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConvoyId(u32);

impl ConvoyId {
    /// The slot as an index.
    #[inline]
    pub(super) fn index(self) -> usize {
        self.0 as usize
    }
}

/// The number of a wait at a closure: the world numbers every wait from 1, a convoy keeps
/// the number of its latest, and a `SimEvent::Reroute` carries the number of the wait it
/// was scheduled for (stale once the convoy's number has moved on).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitNumber(u32);

impl WaitNumber {
    /// Before any wait.
    pub(super) const NONE: WaitNumber = WaitNumber(0);

    /// The number of the wait after this one.
    #[inline]
    pub(super) fn next(self) -> WaitNumber {
        WaitNumber(self.0 + 1)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Leg {
    /// Loaded, towards the depot.
    Out,
    /// Empty, back to the source.
    Back,
    /// Loaded, turned back after an attack.
    TurnBack,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Convoy {
    pub(super) route: u32,
    pub(super) trucks: u32,
    pub(super) leg: Leg,
    /// Out: index of the next segment to enter. Back/TurnBack: one past the next segment.
    pub(super) next: u32,
    pub(super) escorted: bool,
    /// Whether the route's attack probability called for an escort at departure.
    pub(super) wants_escort: bool,
    /// Trucks of an escorted convoy already through the current segment's gate.
    pub(super) gate_passed: u32,
    /// Held at a capacity gate until the next day (for the census only).
    pub(super) held_at_gate: bool,
    /// When its escort joined it (escorted convoys).
    pub(super) departed: f64,
    /// Days driven on the loaded leg so far (waits excluded): the escort's drive back.
    pub(super) driven: f64,
    /// The number of the convoy's latest wait at a closure; a `Reroute` for an older wait
    /// is stale.
    pub(super) wait: WaitNumber,
}

/// Every convoy slot, live or free. A free slot holds a convoy of 0 trucks.
#[derive(Debug, Default)]
pub(super) struct Convoys {
    slots: Vec<Convoy>,
    free: Vec<ConvoyId>,
}

impl Convoys {
    /// Puts `c` on the road in a free slot (the last freed first) or a new one.
    #[inline]
    pub(super) fn alloc(&mut self, c: Convoy) -> ConvoyId {
        match self.free.pop() {
            Some(id) => {
                self.slots[id.index()] = c;
                id
            }
            None => {
                self.slots.push(c);
                ConvoyId((self.slots.len() - 1) as u32)
            }
        }
    }

    /// Takes convoy `id` off the road: its slot holds no truck and is reused.
    #[inline]
    pub(super) fn free(&mut self, id: ConvoyId) {
        self.slots[id.index()].trucks = 0;
        self.free.push(id);
    }

    /// Every slot in order, free ones included (they hold 0 trucks).
    pub(super) fn all(&self) -> impl Iterator<Item = &Convoy> {
        self.slots.iter()
    }

    /// The live convoys, in slot order.
    pub(super) fn live(&self) -> impl Iterator<Item = &Convoy> {
        let mut free = vec![false; self.slots.len()];
        for f in &self.free {
            free[f.index()] = true;
        }
        self.slots
            .iter()
            .enumerate()
            .filter(move |(i, _)| !free[*i])
            .map(|(_, c)| c)
    }
}

impl Index<ConvoyId> for Convoys {
    type Output = Convoy;

    #[inline]
    fn index(&self, id: ConvoyId) -> &Convoy {
        &self.slots[id.index()]
    }
}

impl IndexMut<ConvoyId> for Convoys {
    #[inline]
    fn index_mut(&mut self, id: ConvoyId) -> &mut Convoy {
        &mut self.slots[id.index()]
    }
}
