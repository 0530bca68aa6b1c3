//! Demand classes as the simulation and its outputs index them: [`ClassId`], the place of a
//! class in [`super::Layout::classes`] (every depot's classes, depot by depot, each in
//! priority order), and [`ByClass`], a vector indexed by it, so that a class index cannot
//! be taken for a day, a depot or a class's place within its depot.

/// Index of a demand class in [`super::Layout::classes`]: what the per-class series of a
/// [`super::RunRecord`] and the per-class totals of a replication are indexed by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClassId(pub u32);

impl ClassId {
    /// The index as `usize`.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// One value per demand class, in [`super::Layout::classes`] order, read by [`ClassId`]
/// (`unmet[c]`), never by a bare integer.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ByClass<T>(Vec<T>);

impl<T> ByClass<T> {
    /// Number of classes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there is no class.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The values, in class order.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.0.iter()
    }

    /// Every class with its value, in class order.
    pub fn enumerate(&self) -> impl Iterator<Item = (ClassId, &T)> {
        self.0
            .iter()
            .enumerate()
            .map(|(i, v)| (ClassId(i as u32), v))
    }

    /// Every class, in order.
    pub fn ids(&self) -> impl Iterator<Item = ClassId> + use<T> {
        (0..self.0.len() as u32).map(ClassId)
    }

    /// The value of each class, `f(c)`, for the classes of `like`.
    pub fn from_fn<U>(like: &ByClass<U>, f: impl FnMut(ClassId) -> T) -> ByClass<T> {
        ByClass(like.ids().map(f).collect())
    }
}

impl<T> FromIterator<T> for ByClass<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        ByClass(iter.into_iter().collect())
    }
}

impl<T> From<Vec<T>> for ByClass<T> {
    fn from(v: Vec<T>) -> Self {
        ByClass(v)
    }
}

impl<T> std::ops::Index<ClassId> for ByClass<T> {
    type Output = T;
    fn index(&self, c: ClassId) -> &T {
        &self.0[c.index()]
    }
}

impl<T> std::ops::IndexMut<ClassId> for ByClass<T> {
    fn index_mut(&mut self, c: ClassId) -> &mut T {
        &mut self.0[c.index()]
    }
}

impl<'a, T> IntoIterator for &'a ByClass<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_class_reads_by_class_id_in_order() {
        let v: ByClass<&str> = ["essential", "commercial"].into_iter().collect();
        assert_eq!(v[ClassId(1)], "commercial");
        let ids: Vec<ClassId> = v.ids().collect();
        assert_eq!(ids, [ClassId(0), ClassId(1)]);
        let doubled = ByClass::from_fn(&v, |c| v[c].len() * 2);
        assert_eq!(doubled[ClassId(0)], 18);
        assert_eq!(
            v.enumerate().map(|(c, s)| (c.0, *s)).collect::<Vec<_>>(),
            [(0, "essential"), (1, "commercial")]
        );
    }
}
