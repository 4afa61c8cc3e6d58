//! Steady load (`sim traffic`): generators that send requests at a rate from a pod or
//! from the internet, so balancing can be watched and counted.

/// One running generator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generator {
    pub id: u32,
}

#[derive(Debug, Clone, Default)]
pub struct TrafficState {
    generators: Vec<Generator>,
}

impl TrafficState {
    pub fn generators(&self) -> &[Generator] {
        &self.generators
    }
}
