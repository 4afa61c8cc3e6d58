//! Geometry of the cluster view: where every box goes for a given drawing width, in CSS
//! pixels (one SVG unit is one pixel, so text stays readable at any window size; a
//! narrow view wraps into more rows and scrolls instead of shrinking).
//!
//! Pure functions, no web crates: unit-tested natively. `cluster_view.rs` only turns
//! these rectangles into SVG.

/// An axis-aligned rectangle.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl Rect {
    pub fn new(x: f64, y: f64, width: f64, height: f64) -> Rect {
        Rect {
            x,
            y,
            width,
            height,
        }
    }

    pub fn right(&self) -> f64 {
        self.x + self.width
    }

    pub fn bottom(&self) -> f64 {
        self.y + self.height
    }

    pub fn center_x(&self) -> f64 {
        self.x + self.width / 2.0
    }

    /// The same rectangle moved by (`dx`, `dy`).
    pub fn translated(&self, dx: f64, dy: f64) -> Rect {
        Rect::new(self.x + dx, self.y + dy, self.width, self.height)
    }

    /// The middle of the rectangle.
    pub fn center(&self) -> (f64, f64) {
        (self.x + self.width / 2.0, self.y + self.height / 2.0)
    }

    /// Whether `other` lies entirely inside this rectangle (edges may touch).
    pub fn contains(&self, other: &Rect) -> bool {
        other.x >= self.x
            && other.y >= self.y
            && other.right() <= self.right() + 1e-9
            && other.bottom() <= self.bottom() + 1e-9
    }

    /// Whether the two rectangles share any area (touching edges do not count).
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.right()
            && other.x < self.right()
            && self.y < other.bottom()
            && other.y < self.bottom()
    }
}

/// Outer margin and the gap between boxes.
pub const PADDING: f64 = 16.0;
pub const GAP: f64 = 12.0;
/// Height of a section's title line ("CONTROL PLANE · …").
pub const TITLE_HEIGHT: f64 = 28.0;
/// Control-plane component boxes: wide enough for "cloud-controller-manager" in bold.
pub const COMPONENT_MIN_WIDTH: f64 = 208.0;
pub const COMPONENT_HEIGHT: f64 = 46.0;
/// The outside world (your laptop, the internet, the cloud load balancer): a row of boxes
/// after a label, between the control plane and the Services, so a request from outside
/// crosses only the Services row on its way down to a node.
pub const OUTSIDE_BOXES: usize = 3;
pub const OUTSIDE_MIN_WIDTH: f64 = 170.0;
pub const OUTSIDE_MAX_WIDTH: f64 = 262.0;
/// One line per box (name, then what it does), as short as a Service pill: the room goes
/// to the nodes.
pub const OUTSIDE_HEIGHT: f64 = 32.0;
/// The Services row: a label on the left, then one pill per Service.
pub const SERVICE_LABEL_WIDTH: f64 = 96.0;
pub const SERVICE_MIN_WIDTH: f64 = 300.0;
pub const SERVICE_HEIGHT: f64 = 32.0;
/// Node cards: header (name, address, status), agent chips, then the pod area.
pub const NODE_MIN_WIDTH: f64 = 210.0;
pub const NODE_HEADER_HEIGHT: f64 = 52.0;
pub const AGENT_HEIGHT: f64 = 26.0;
/// kubelet, kube-proxy chip widths.
pub const AGENT_WIDTHS: [f64; 2] = [78.0, 98.0];
pub const POD_AREA_MIN_HEIGHT: f64 = 44.0;
/// Node cards grow to fill a tall panel, up to this height.
pub const NODE_MAX_HEIGHT: f64 = 420.0;
/// Pods drawn in full: two lines (name; ready, status, address).
pub const POD_FULL_MIN_WIDTH: f64 = 168.0;
pub const POD_FULL_HEIGHT: f64 = 38.0;
/// Pods drawn compact: one line, a status icon and the name (its unique end kept).
pub const POD_COMPACT_MIN_WIDTH: f64 = 118.0;
pub const POD_COMPACT_HEIGHT: f64 = 22.0;
/// Pods drawn as tiles: a status icon, the name on hover and in the inspector.
pub const POD_TILE: f64 = 24.0;
/// Many pods on a node: one row per owner (ReplicaSet, StatefulSet, …).
pub const POD_GROUP_HEIGHT: f64 = 26.0;
pub const POD_GAP: f64 = 6.0;
/// The band of pods that no node has taken yet (Pending, unschedulable).
pub const PENDING_HEIGHT: f64 = 30.0;
/// Its title, "NO NODE YET", is wider than the other bands' labels: its tiles start this
/// much further right, so the first one does not cover the title's end.
pub const PENDING_TITLE_EXTRA: f64 = 28.0;
/// The dense layout, used when the roomy one does not fit the panel: component boxes of
/// one line (the name), a shorter section title, node names and status on one line.
pub const DENSE_TITLE_HEIGHT: f64 = 24.0;
pub const DENSE_COMPONENT_HEIGHT: f64 = 30.0;
/// Dense component names are 12.5 px instead of 13.5 px: "cloud-controller-manager" fits.
pub const DENSE_COMPONENT_MIN_WIDTH: f64 = 194.0;
pub const DENSE_NODE_HEADER_HEIGHT: f64 = 34.0;
/// The cluster view shrinks its drawing down to this scale to fit the panel's height
/// before it starts to scroll.
pub const MIN_FIT_SCALE: f64 = 0.8;
/// Pods are drawn one by one (scrolling) while the drawing is at most this many times
/// the panel's height; beyond, they are grouped by owner.
pub const SCROLL_TOLERANCE: f64 = 2.0;
/// Up to this many pods on the busiest node, pods are never grouped by owner.
pub const FEW_PODS: usize = 12;
/// A crowded cluster (pods grouped by owner) may shrink this far to fit.
pub const MIN_GROUPED_SCALE: f64 = 0.55;
/// Narrower than this, the view scrolls sideways instead of squeezing boxes.
pub const MIN_WIDTH: f64 = 300.0;

/// How many of each thing to place.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Counts {
    pub components: usize,
    pub services: usize,
    /// Per node: (pods, owner groups among them).
    pub nodes: Vec<(usize, usize)>,
    /// Pods no node has taken yet.
    pub unscheduled: usize,
}

/// How pods are drawn: chosen for the whole view so every node reads the same way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PodMode {
    /// Name, READY, STATUS and address on each pod.
    Full,
    /// One line per pod: a status icon and the name.
    Compact,
    /// A small tile per pod with a status icon.
    Tiles,
    /// One row per owner with its count and a bar of statuses.
    Grouped,
}

/// One node card and its parts.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeCard {
    pub card: Rect,
    /// kubelet, then kube-proxy.
    pub agents: [Rect; 2],
    /// Where the node's pods are drawn.
    pub pods: Rect,
    /// One slot per pod (Full, Tiles) or per owner group (Grouped), in order.
    pub slots: Vec<Rect>,
}

impl NodeCard {
    /// The card measured from its own top-left corner: what is drawn inside it does not
    /// change when the card only moves (the pending band above it grew or shrank).
    pub fn at_origin(&self) -> NodeCard {
        let (dx, dy) = (-self.card.x, -self.card.y);
        NodeCard {
            card: self.card.translated(dx, dy),
            agents: self.agents.map(|a| a.translated(dx, dy)),
            pods: self.pods.translated(dx, dy),
            slots: self.slots.iter().map(|s| s.translated(dx, dy)).collect(),
        }
    }
}

/// Everything the cluster view draws, top to bottom.
#[derive(Clone, Debug, PartialEq)]
pub struct ClusterLayout {
    /// The drawing's size (the SVG's viewBox).
    pub width: f64,
    pub height: f64,
    /// Drawn dense: one-line component boxes and node headers (see [`DENSE_TITLE_HEIGHT`]).
    pub dense: bool,
    /// The control-plane band and the component boxes inside it.
    pub control_plane: Rect,
    pub components: Vec<Rect>,
    /// The outside world's row (label plus boxes): laptop, internet, cloud LB.
    pub outside_band: Rect,
    pub outside: Vec<Rect>,
    /// The Services row (label plus pills).
    pub services_band: Rect,
    pub services: Vec<Rect>,
    /// Pods waiting for a node: a band under the Services, present only when some are.
    pub pending_band: Option<Rect>,
    pub pending: Vec<Rect>,
    pub pod_mode: PodMode,
    /// The node cards.
    pub nodes: Vec<NodeCard>,
}

impl ClusterLayout {
    /// The layout without the place of each pod: the bands, boxes and node cards. A
    /// pod landing on a node changes its slots but rarely its card, so the drawing's
    /// frame follows this and only the pod layers follow the slots.
    pub fn skeleton(&self) -> ClusterLayout {
        ClusterLayout {
            pending: Vec::new(),
            nodes: self
                .nodes
                .iter()
                .map(|node| NodeCard {
                    slots: Vec::new(),
                    ..node.clone()
                })
                .collect(),
            ..self.clone()
        }
    }

    /// The bands above the pods waiting for a node: the control plane, the outside world
    /// and the Services, with whether the drawing is dense. Pods arriving, leaving the
    /// pending band or landing on nodes leave this alone (the drawing's height, the pod
    /// mode and everything below the Services are not kept).
    pub fn upper(&self) -> ClusterLayout {
        ClusterLayout {
            height: 0.0,
            pending_band: None,
            pending: Vec::new(),
            pod_mode: PodMode::Full,
            nodes: Vec::new(),
            ..self.clone()
        }
    }
}

/// How many columns to lay `count` items out in: as many as fit at `min_item` width, then
/// evened out so rows are balanced (6 items that fit 4 a row go 3 + 3, not 4 + 2).
pub fn columns_for(available: f64, min_item: f64, gap: f64, count: usize) -> usize {
    if count == 0 {
        return 1;
    }
    let fitting = ((available + gap) / (min_item + gap)).floor().max(1.0) as usize;
    let most = fitting.min(count);
    let rows = count.div_ceil(most);
    count.div_ceil(rows)
}

/// `count` equal cells, `columns` a row, filling `width` from (`x`, `y`).
pub fn grid(
    x: f64,
    y: f64,
    width: f64,
    cell_height: f64,
    count: usize,
    columns: usize,
) -> Vec<Rect> {
    grid_with_gap(x, y, width, cell_height, count, columns, GAP)
}

fn grid_with_gap(
    x: f64,
    y: f64,
    width: f64,
    cell_height: f64,
    count: usize,
    columns: usize,
    gap: f64,
) -> Vec<Rect> {
    let columns = columns.max(1);
    let cell_width = (width - gap * (columns as f64 - 1.0)) / columns as f64;
    (0..count)
        .map(|i| {
            let (row, column) = (i / columns, i % columns);
            Rect::new(
                x + column as f64 * (cell_width + gap),
                y + row as f64 * (cell_height + gap),
                cell_width,
                cell_height,
            )
        })
        .collect()
}

/// The bottom edge of a grid of `count` cells in `columns` columns starting at `y`.
fn grid_bottom(y: f64, cell_height: f64, count: usize, columns: usize) -> f64 {
    let rows = count.div_ceil(columns.max(1)).max(1) as f64;
    y + rows * cell_height + (rows - 1.0) * GAP
}

/// Where `count` pods (or groups) go in a pod area `width` wide, for one mode: the
/// cell size, how many columns, and the height they need.
fn pod_grid(mode: PodMode, width: f64, count: usize) -> (f64, f64, usize, f64) {
    let (min_width, height) = match mode {
        PodMode::Full => (POD_FULL_MIN_WIDTH, POD_FULL_HEIGHT),
        PodMode::Compact => (POD_COMPACT_MIN_WIDTH, POD_COMPACT_HEIGHT),
        PodMode::Tiles => (POD_TILE, POD_TILE),
        PodMode::Grouped => (width, POD_GROUP_HEIGHT),
    };
    let columns = ((width + POD_GAP) / (min_width + POD_GAP)).floor().max(1.0) as usize;
    let cell_width = match mode {
        PodMode::Tiles => POD_TILE,
        _ => (width - POD_GAP * (columns as f64 - 1.0)) / columns as f64,
    };
    let rows = count.div_ceil(columns) as f64;
    let needed = (rows * (height + POD_GAP) - POD_GAP).max(0.0);
    (cell_width, height, columns, needed)
}

fn pod_slots(mode: PodMode, area: Rect, count: usize) -> Vec<Rect> {
    let (cell_width, height, columns, _) = pod_grid(mode, area.width, count);
    (0..count)
        .map(|i| {
            let (row, column) = (i / columns, i % columns);
            Rect::new(
                area.x + column as f64 * (cell_width + POD_GAP),
                area.y + row as f64 * (height + POD_GAP),
                cell_width,
                height,
            )
        })
        .collect()
}

/// Lays the cluster out for a drawing `width` pixels wide. Node cards grow (up to
/// [`NODE_MAX_HEIGHT`], or further when their pods need it) so that the drawing fills
/// `fill_height` when it can.
pub fn layout_cluster(width: f64, fill_height: f64, counts: &Counts) -> ClusterLayout {
    layout_with_mode(width, fill_height, counts, None, false)
}

/// [`layout_cluster`], with the pod mode forced or (`None`) chosen to fit, roomy or dense.
fn layout_with_mode(
    width: f64,
    fill_height: f64,
    counts: &Counts,
    force: Option<PodMode>,
    dense: bool,
) -> ClusterLayout {
    let width = width.max(MIN_WIDTH);
    let inner_width = width - 2.0 * PADDING;
    let (title_height, component_height, component_min_width, header_height) = if dense {
        (
            DENSE_TITLE_HEIGHT,
            DENSE_COMPONENT_HEIGHT,
            DENSE_COMPONENT_MIN_WIDTH,
            DENSE_NODE_HEADER_HEIGHT,
        )
    } else {
        (
            TITLE_HEIGHT,
            COMPONENT_HEIGHT,
            COMPONENT_MIN_WIDTH,
            NODE_HEADER_HEIGHT,
        )
    };

    // Control plane: a band with a title line and a grid of component boxes.
    let band_inner = inner_width - 2.0 * PADDING;
    let component_columns = columns_for(band_inner, component_min_width, GAP, counts.components);
    let components_top = PADDING + title_height;
    let components = grid(
        2.0 * PADDING,
        components_top,
        band_inner,
        component_height,
        counts.components,
        component_columns,
    );
    let band_bottom = grid_bottom(
        components_top,
        component_height,
        counts.components,
        component_columns,
    ) + PADDING;
    let control_plane = Rect::new(PADDING, PADDING, inner_width, band_bottom - PADDING);

    let pills_x = PADDING + SERVICE_LABEL_WIDTH;
    let pills_width = inner_width - SERVICE_LABEL_WIDTH;

    // Outside the cluster: a label, then the laptop, the internet and the cloud LB.
    let outside_top = control_plane.bottom() + GAP;
    let outside_columns = columns_for(pills_width, OUTSIDE_MIN_WIDTH, GAP, OUTSIDE_BOXES);
    let outside_width = ((pills_width + GAP) / outside_columns as f64 - GAP)
        .min(OUTSIDE_MAX_WIDTH)
        .min(pills_width);
    let outside = grid(
        pills_x,
        outside_top,
        (outside_width + GAP) * outside_columns as f64 - GAP,
        OUTSIDE_HEIGHT,
        OUTSIDE_BOXES,
        outside_columns,
    );
    let outside_bottom = grid_bottom(outside_top, OUTSIDE_HEIGHT, OUTSIDE_BOXES, outside_columns);
    let outside_band = Rect::new(
        PADDING,
        outside_top,
        inner_width,
        outside_bottom - outside_top,
    );

    // Services: a label, then pills, between the outside world and the nodes.
    let services_top = outside_band.bottom() + GAP;
    let service_columns = columns_for(pills_width, SERVICE_MIN_WIDTH, GAP, counts.services);
    let pill_width = SERVICE_MIN_WIDTH.min(pills_width);
    let services = grid(
        pills_x,
        services_top,
        (pill_width + GAP) * service_columns as f64 - GAP,
        SERVICE_HEIGHT,
        counts.services,
        service_columns,
    );
    let services_bottom = grid_bottom(
        services_top,
        SERVICE_HEIGHT,
        counts.services,
        service_columns,
    );
    let services_band = Rect::new(
        PADDING,
        services_top,
        inner_width,
        services_bottom - services_top,
    );

    // Pods without a node: tiles in a band of their own, under the label "PENDING".
    let mut top = services_band.bottom() + GAP;
    let (pending_band, pending) = if counts.unscheduled > 0 {
        let area = Rect::new(
            pills_x + PENDING_TITLE_EXTRA,
            top + (PENDING_HEIGHT - POD_TILE) / 2.0,
            pills_width - PENDING_TITLE_EXTRA,
            0.0,
        );
        let slots = pod_slots(PodMode::Tiles, area, counts.unscheduled);
        let (_, _, _, needed) = pod_grid(PodMode::Tiles, area.width, counts.unscheduled);
        let band = Rect::new(
            PADDING,
            top,
            inner_width,
            needed.max(POD_TILE) + (PENDING_HEIGHT - POD_TILE),
        );
        top = band.bottom() + GAP;
        (Some(band), slots)
    } else {
        (None, Vec::new())
    };

    // Nodes: cards in a grid, all the same height.
    let nodes_top = top;
    let node_count = counts.nodes.len();
    let node_columns = columns_for(inner_width, NODE_MIN_WIDTH, GAP, node_count);
    let node_rows = node_count.div_ceil(node_columns).max(1) as f64;
    let card_width = (inner_width - GAP * (node_columns as f64 - 1.0)) / node_columns as f64;
    let pod_width = card_width - 2.0 * PADDING;
    let chrome = header_height + AGENT_HEIGHT + GAP + PADDING;
    let room = (fill_height - nodes_top - PADDING - (node_rows - 1.0) * GAP) / node_rows;
    let pod_room = (room.min(NODE_MAX_HEIGHT) - chrome).max(POD_AREA_MIN_HEIGHT);
    let needed = |mode: PodMode| {
        counts
            .nodes
            .iter()
            .map(|&(pods, groups)| {
                let count = if mode == PodMode::Grouped {
                    groups
                } else {
                    pods
                };
                pod_grid(mode, pod_width, count).3
            })
            .fold(0.0, f64::max)
    };
    // Full pods when every node's pods fit; compact, then tiles next; one row per owner last.
    let pod_mode = force.unwrap_or_else(|| {
        [PodMode::Full, PodMode::Compact, PodMode::Tiles]
            .into_iter()
            .find(|mode| needed(*mode) <= pod_room)
            .unwrap_or(PodMode::Grouped)
    });
    let pod_height = needed(pod_mode).max(POD_AREA_MIN_HEIGHT);
    let card_height = (room.min(NODE_MAX_HEIGHT)).max(chrome + pod_height);
    let nodes = grid(
        PADDING,
        nodes_top,
        inner_width,
        card_height,
        node_count,
        node_columns,
    )
    .into_iter()
    .zip(&counts.nodes)
    .map(|(card, &(pods, groups))| {
        let count = if pod_mode == PodMode::Grouped {
            groups
        } else {
            pods
        };
        node_card(card, header_height, pod_mode, count)
    })
    .collect();
    let height = grid_bottom(nodes_top, card_height, node_count, node_columns) + PADDING;

    ClusterLayout {
        width,
        height,
        dense,
        control_plane,
        components,
        outside_band,
        outside,
        services_band,
        services,
        pending_band,
        pending,
        pod_mode,
        nodes,
    }
}

/// The parts of one node card.
fn node_card(card: Rect, header_height: f64, mode: PodMode, count: usize) -> NodeCard {
    let agents_y = card.y + header_height;
    let kubelet = Rect::new(card.x + PADDING, agents_y, AGENT_WIDTHS[0], AGENT_HEIGHT);
    let proxy = Rect::new(
        kubelet.right() + 8.0,
        agents_y,
        AGENT_WIDTHS[1],
        AGENT_HEIGHT,
    );
    let pods_y = agents_y + AGENT_HEIGHT + GAP;
    let pods = Rect::new(
        card.x + PADDING,
        pods_y,
        card.width - 2.0 * PADDING,
        card.bottom() - PADDING - pods_y,
    );
    NodeCard {
        card,
        agents: [kubelet, proxy],
        pods,
        slots: pod_slots(mode, pods, count),
    }
}

/// The layout for a panel `width` × `height` pixels, and the scale to draw it at. The
/// roomy layout with pods in full if that fits at some scale down to [`MIN_FIT_SCALE`];
/// else the dense layout with pods in full, compact (one line each), then as tiles; else
/// a few pods per node scroll in full and crowded nodes get one row per owner. Denser
/// pods come before scrolling: a speaker's 1280×720 projector shows every pod.
pub fn fit_layout(width: f64, height: f64, counts: &Counts) -> (ClusterLayout, f64) {
    let tries = [
        (PodMode::Full, false),
        (PodMode::Full, true),
        (PodMode::Compact, true),
        (PodMode::Tiles, true),
    ];
    for (mode, dense) in tries {
        let mut scale = 1.0;
        while scale >= MIN_FIT_SCALE - 1e-9 {
            // One pixel short of the panel, so rounding never adds a scrollbar.
            let layout = layout_with_mode(
                width / scale,
                height / scale - 1.0,
                counts,
                Some(mode),
                dense,
            );
            if layout.height * scale <= height {
                return (layout, scale);
            }
            scale -= 0.05;
        }
    }
    let at_min = |mode| {
        layout_with_mode(
            width / MIN_FIT_SCALE,
            height / MIN_FIT_SCALE - 1.0,
            counts,
            Some(mode),
            true,
        )
    };
    // A few pods per node: every pod is worth some scrolling, compact when the drawing
    // stays within SCROLL_TOLERANCE panels, else as tiles.
    let most = counts
        .nodes
        .iter()
        .map(|&(pods, _)| pods)
        .max()
        .unwrap_or(0);
    if most <= FEW_PODS {
        let compact = at_min(PodMode::Compact);
        if compact.height * MIN_FIT_SCALE <= height * SCROLL_TOLERANCE {
            return (compact, MIN_FIT_SCALE);
        }
        return (at_min(PodMode::Tiles), MIN_FIT_SCALE);
    }
    // Crowded: one row per owner, shrunk further (to half size at most) to show more.
    let mut scale = MIN_FIT_SCALE;
    loop {
        let layout = layout_with_mode(
            width / scale,
            height / scale - 1.0,
            counts,
            Some(PodMode::Grouped),
            true,
        );
        if layout.height * scale <= height || scale <= MIN_GROUPED_SCALE + 1e-9 {
            return (layout, scale);
        }
        scale = (scale - 0.05).max(MIN_GROUPED_SCALE);
    }
}

/// Where a token travelling from `from` to `to` is at `progress` (0 to 1): along a
/// gentle arc, eased in and out so the eye can follow it.
pub fn token_position(from: (f64, f64), to: (f64, f64), progress: f64) -> (f64, f64) {
    let t = progress.clamp(0.0, 1.0);
    let eased = t * t * (3.0 - 2.0 * t);
    let (dx, dy) = (to.0 - from.0, to.1 - from.1);
    // The arc bows to one side by a fifth of the distance (less for long hops).
    let length = (dx * dx + dy * dy).sqrt().max(1.0);
    let bow = (length * 0.2).min(60.0) * 4.0 * eased * (1.0 - eased);
    (
        from.0 + dx * eased + (-dy / length) * bow,
        from.1 + dy * eased + (dx / length) * bow,
    )
}

/// The part of the drawing whose pods are drawn: what the canvas shows (scrolled by
/// `scroll`, a panel of `panel` CSS pixels, `pixels` CSS pixels per layout unit) and
/// half a panel more above and below it and a quarter to either side, so a scroll
/// reveals pods already drawn. On a cluster of hundreds of nodes most cards are out of
/// sight, and drawing their pods anyway made every publication cost hundreds of
/// milliseconds of DOM, style and layout.
pub fn drawn_window(scroll: (f64, f64), panel: (f64, f64), pixels: f64) -> Rect {
    let pixels = pixels.max(1e-6);
    let (width, height) = (panel.0 / pixels, panel.1 / pixels);
    Rect::new(
        scroll.0 / pixels - width / 4.0,
        scroll.1 / pixels - height / 2.0,
        1.5 * width,
        2.0 * height,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_drawn_window_is_the_panel_and_a_margin_around_it() {
        // Unscrolled, at 1:1: the panel, half a panel above and below, a quarter aside.
        assert_eq!(
            drawn_window((0.0, 0.0), (800.0, 600.0), 1.0),
            Rect::new(-200.0, -300.0, 1200.0, 1200.0)
        );
        // Scrolled 1,000 px down a drawing shown at half size: layout units are doubled.
        let window = drawn_window((0.0, 1000.0), (800.0, 600.0), 0.5);
        assert_eq!(window, Rect::new(-400.0, 1400.0, 2400.0, 2400.0));
        // A card just past the margin is not drawn; one inside it is.
        assert!(!window.overlaps(&Rect::new(0.0, 3800.0, 200.0, 100.0)));
        assert!(window.overlaps(&Rect::new(0.0, 3700.0, 200.0, 200.0)));
        assert!(!window.overlaps(&Rect::new(0.0, 1200.0, 200.0, 200.0)));
        assert!(!window.overlaps(&Rect::new(2000.0, 2000.0, 200.0, 200.0)));
    }

    fn counts(nodes: usize, pods_per_node: usize, groups: usize) -> Counts {
        Counts {
            components: 7,
            services: 2,
            nodes: vec![(pods_per_node, groups); nodes],
            unscheduled: 0,
        }
    }

    fn default_counts() -> Counts {
        counts(4, 0, 0)
    }

    /// Every box inside the drawing and its section, and no two boxes overlapping.
    fn assert_well_formed(layout: &ClusterLayout) {
        let drawing = Rect::new(0.0, 0.0, layout.width, layout.height);
        assert!(drawing.contains(&layout.control_plane));
        for component in &layout.components {
            assert!(layout.control_plane.contains(component), "{component:?}");
        }
        for service in &layout.services {
            assert!(layout.services_band.contains(service), "{service:?}");
        }
        assert_eq!(layout.outside.len(), OUTSIDE_BOXES);
        for place in &layout.outside {
            assert!(layout.outside_band.contains(place), "{place:?}");
        }
        assert!(!layout.services_band.overlaps(&layout.control_plane));
        assert!(!layout.outside_band.overlaps(&layout.control_plane));
        assert!(!layout.outside_band.overlaps(&layout.services_band));
        for node in &layout.nodes {
            assert!(drawing.contains(&node.card));
            assert!(!node.card.overlaps(&layout.services_band));
            for part in node.agents.iter().chain([&node.pods]) {
                assert!(node.card.contains(part), "{part:?} outside {:?}", node.card);
            }
            assert!(!node.agents[0].overlaps(&node.agents[1]));
            assert!(node.pods.height >= POD_AREA_MIN_HEIGHT);
            for slot in &node.slots {
                assert!(node.pods.contains(slot), "{slot:?} outside {:?}", node.pods);
            }
            for (i, a) in node.slots.iter().enumerate() {
                for b in &node.slots[i + 1..] {
                    assert!(!a.overlaps(b), "{a:?} overlaps {b:?}");
                }
            }
        }
        if let Some(band) = layout.pending_band {
            for slot in &layout.pending {
                assert!(band.contains(slot));
            }
        }
        let boxes: Vec<Rect> = layout
            .components
            .iter()
            .chain(&layout.services)
            .chain(&layout.outside)
            .copied()
            .chain(layout.nodes.iter().map(|n| n.card))
            .collect();
        for (i, a) in boxes.iter().enumerate() {
            for b in &boxes[i + 1..] {
                assert!(!a.overlaps(b), "{a:?} overlaps {b:?}");
            }
        }
    }

    #[test]
    fn columns_balance_rows() {
        // (available, min item, count) -> columns
        let cases = [
            (1400.0, 220.0, 6, 6),
            (1000.0, 220.0, 6, 3), // 4 fit: 4 + 2 evens out to 3 + 3
            (700.0, 220.0, 6, 3),
            (460.0, 220.0, 6, 2),
            (200.0, 220.0, 6, 1),
            (1100.0, 236.0, 4, 4),
            (800.0, 236.0, 4, 2), // 3 fit: 3 + 1 evens out to 2 + 2
            (0.0, 236.0, 4, 1),
            (500.0, 100.0, 0, 1),
        ];
        for (available, min_item, count, expected) in cases {
            assert_eq!(
                columns_for(available, min_item, GAP, count),
                expected,
                "{count} items of {min_item} in {available}"
            );
        }
    }

    #[test]
    fn the_outside_world_is_one_row_between_the_control_plane_and_the_services() {
        for width in [940.0, 1280.0, 1900.0] {
            let layout = layout_cluster(width, 0.0, &default_counts());
            assert_well_formed(&layout);
            let [laptop, internet, cloud] =
                [layout.outside[0], layout.outside[1], layout.outside[2]];
            assert!(laptop.y == internet.y && internet.y == cloud.y, "{width}");
            assert!(laptop.right() < internet.x && internet.right() < cloud.x);
            assert!(laptop.width >= OUTSIDE_MIN_WIDTH && laptop.width <= OUTSIDE_MAX_WIDTH);
            assert!(layout.outside_band.y > layout.control_plane.bottom());
            assert!(layout.outside_band.bottom() < layout.services_band.y);
        }
        // Narrow: the boxes wrap rather than shrink below their minimum.
        let narrow = layout_cluster(420.0, 0.0, &default_counts());
        assert_well_formed(&narrow);
        assert!(narrow.outside[2].y > narrow.outside[0].y);
    }

    #[test]
    fn wide_view_puts_each_group_on_one_row() {
        let layout = layout_cluster(1600.0, 0.0, &default_counts());
        assert_well_formed(&layout);
        let tops = |rects: &[Rect]| rects.iter().all(|r| r.y == rects[0].y);
        assert!(tops(&layout.components));
        let cards: Vec<Rect> = layout.nodes.iter().map(|n| n.card).collect();
        assert!(tops(&cards));
        assert_eq!(layout.width, 1600.0);
    }

    #[test]
    fn projector_width_wraps_components_but_keeps_nodes_on_one_row() {
        // The cluster view's width on a 1280x720 page with the inspector open.
        let layout = layout_cluster(940.0, 0.0, &default_counts());
        assert_well_formed(&layout);
        let rows = |rects: Vec<f64>| {
            let mut ys = rects;
            ys.dedup();
            ys.len()
        };
        assert_eq!(rows(layout.components.iter().map(|r| r.y).collect()), 2);
        assert_eq!(layout.pod_mode, PodMode::Full);
        assert_eq!(rows(layout.nodes.iter().map(|n| n.card.y).collect()), 1);
    }

    #[test]
    fn fitting_shrinks_only_as_far_as_needed() {
        let (roomy, scale) = fit_layout(1200.0, 2000.0, &default_counts());
        assert_eq!(scale, 1.0);
        assert_eq!(roomy.width, 1200.0);

        // A little shorter than the drawing needs: shrunk a little, not to the minimum.
        let natural = layout_cluster(940.0, 0.0, &default_counts()).height;
        let (tight, scale) = fit_layout(940.0, natural * 0.93, &default_counts());
        assert!((0.85..1.0).contains(&scale), "{scale}");
        assert!((tight.width * scale - 940.0).abs() < 1e-6);
        assert!(tight.height * scale <= natural * 0.93);

        let (layout, scale) = fit_layout(940.0, 50.0, &default_counts());
        assert_eq!((layout.pod_mode, scale), (PodMode::Tiles, MIN_FIT_SCALE));
        let (layout, scale) = fit_layout(940.0, 50.0, &counts(20, 15, 2));
        assert_eq!(
            (layout.pod_mode, scale),
            (PodMode::Grouped, MIN_GROUPED_SCALE)
        );
        // Far too little room for the roomy layout: dense, every pod in view as a tile.
        let (layout, scale) = fit_layout(940.0, natural * 0.7, &counts(4, 3, 1));
        assert!(layout.dense);
        assert!(layout.height * scale <= natural * 0.7);
        assert_eq!(layout.pod_mode, PodMode::Tiles);
    }

    #[test]
    fn boxes_never_get_narrower_than_their_minimum_unless_the_view_is() {
        for width in [300.0, 480.0, 640.0, 900.0, 1280.0, 1920.0, 2560.0] {
            let layout = layout_cluster(width, 0.0, &default_counts());
            assert_well_formed(&layout);
            for component in &layout.components {
                assert!(component.width >= COMPONENT_MIN_WIDTH.min(width - 4.0 * PADDING));
            }
            for node in &layout.nodes {
                assert!(node.card.width >= NODE_MIN_WIDTH.min(width - 2.0 * PADDING));
            }
        }
    }

    #[test]
    fn node_cards_grow_to_fill_a_tall_panel_up_to_a_limit() {
        let short = layout_cluster(1200.0, 0.0, &default_counts());
        let tall = layout_cluster(1200.0, short.height + 100.0, &default_counts());
        assert_well_formed(&tall);
        assert_eq!(tall.height, short.height + 100.0);
        assert_eq!(
            tall.nodes[0].pods.height,
            short.nodes[0].pods.height + 100.0
        );
        let huge = layout_cluster(1200.0, 10_000.0, &default_counts());
        assert_eq!(huge.nodes[0].card.height, NODE_MAX_HEIGHT);
    }

    #[test]
    fn tiny_widths_are_clamped() {
        let layout = layout_cluster(10.0, 0.0, &default_counts());
        assert_eq!(layout.width, MIN_WIDTH);
        assert_well_formed(&layout);
    }

    #[test]
    fn crowded_nodes_switch_to_tiles_then_to_one_row_per_owner() {
        // (nodes, pods per node, groups, width, height) -> mode
        let cases = [
            (4, 3, 1, 940.0, 420.0, PodMode::Full),
            // A narrow panel (editor and inspector open): a few pods one line each.
            (4, 1, 1, 640.0, 300.0, PodMode::Compact),
            (4, 12, 1, 640.0, 300.0, PodMode::Tiles),
            (4, 30, 2, 940.0, 420.0, PodMode::Tiles),
            (4, 30, 2, 1600.0, 900.0, PodMode::Full),
            (20, 15, 2, 940.0, 420.0, PodMode::Grouped),
            (20, 15, 2, 1900.0, 4000.0, PodMode::Full),
        ];
        let got: Vec<PodMode> = cases
            .iter()
            .map(|&(nodes, pods, groups, width, height, _)| {
                fit_layout(width, height, &counts(nodes, pods, groups))
                    .0
                    .pod_mode
            })
            .collect();
        let wanted: Vec<PodMode> = cases.iter().map(|case| case.5).collect();
        assert_eq!(got, wanted);
        for (nodes, pods, groups, width, height, mode) in cases {
            let counts = counts(nodes, pods, groups);
            let (layout, _) = fit_layout(width, height, &counts);
            assert_well_formed(&layout);
            let slots = if mode == PodMode::Grouped {
                groups
            } else {
                pods
            };
            assert!(layout.nodes.iter().all(|n| n.slots.len() == slots));
        }
    }

    #[test]
    fn a_projector_shows_every_pod_without_scrolling() {
        // The cluster view on a 1280×720 page with the console open and the inspector
        // closed: about 1250 × 300 pixels. The demo scaled to 9 replicas (3 a worker,
        // plus CoreDNS and the ingress controller) and to 30 must fit whole.
        for pods in [3, 5, 10] {
            let mut counts = counts(4, pods, 2);
            counts.components = 7;
            counts.services = 4;
            let (layout, scale) = fit_layout(1250.0, 300.0, &counts);
            assert_well_formed(&layout);
            assert!(
                layout.height * scale <= 300.0,
                "{pods} pods: {} at {scale}",
                layout.height
            );
            assert!(scale >= MIN_FIT_SCALE - 1e-9);
            assert_ne!(layout.pod_mode, PodMode::Grouped, "{pods} pods a node");
        }
    }

    #[test]
    fn pods_waiting_for_a_node_get_a_band_of_their_own() {
        let mut counts = default_counts();
        counts.unscheduled = 5;
        let layout = layout_cluster(940.0, 0.0, &counts);
        assert_well_formed(&layout);
        let band = layout.pending_band.expect("a pending band");
        assert_eq!(layout.pending.len(), 5);
        assert!(!band.overlaps(&layout.services_band));
        assert!(layout.nodes.iter().all(|n| !n.card.overlaps(&band)));
        assert!(layout_cluster(940.0, 0.0, &default_counts())
            .pending_band
            .is_none());
    }

    #[test]
    fn a_pod_landing_on_a_node_moves_its_slots_not_the_skeleton() {
        // 20 nodes at 1600×900, the frame benchmark's page: pods arriving one by one
        // move their slots every time, but the cards only when the pod mode or the scale
        // has to change (5 of these 14 steps).
        let (mut layouts_changed, mut skeletons_changed) = (0, 0);
        let mut previous = fit_layout(1560.0, 700.0, &counts(20, 1, 1));
        for pods in 2..=15 {
            let next = fit_layout(1560.0, 700.0, &counts(20, pods, 1));
            if next != previous {
                layouts_changed += 1;
            }
            if next.0.skeleton() != previous.0.skeleton() || next.1 != previous.1 {
                skeletons_changed += 1;
            }
            previous = next;
        }
        assert!(
            layouts_changed == 14 && skeletons_changed * 2 < layouts_changed,
            "of 14 steps, {layouts_changed} changed the layout, {skeletons_changed} its skeleton"
        );
        let skeleton = previous.0.skeleton();
        assert!(skeleton.nodes.iter().all(|n| n.slots.is_empty()) && skeleton.pending.is_empty());
        assert_eq!(skeleton.nodes.len(), 20);
        assert_eq!(skeleton.nodes[3].card, previous.0.nodes[3].card);
    }

    #[test]
    fn a_growing_pending_band_moves_the_node_cards_and_nothing_inside_them() {
        // The frame benchmark's panel (20 nodes, pods grouped by owner) while a burst of
        // pods waits for the scheduler: the band under the Services grows a row at a
        // time. The cards move down; the bands above and each card's contents, measured
        // from its corner, stay as they were, so the view only moves the cards.
        let at = |unscheduled| {
            let mut counts = counts(20, 15, 1);
            counts.services = 3;
            counts.unscheduled = unscheduled;
            fit_layout(770.0, 400.0, &counts)
        };
        let (first, scale) = at(1);
        for unscheduled in [2, 31, 60, 150, 300] {
            let (next, next_scale) = at(unscheduled);
            assert_eq!(next_scale, scale, "{unscheduled} pending");
            assert_eq!(next.upper(), first.upper(), "{unscheduled} pending");
            for (a, b) in first.nodes.iter().zip(&next.nodes) {
                assert_eq!(a.at_origin(), b.at_origin(), "{unscheduled} pending");
            }
        }
        let (crowded, _) = at(300);
        assert!(crowded.nodes[0].card.y > first.nodes[0].card.y);
        assert!(crowded.pending_band.unwrap().height > first.pending_band.unwrap().height);
        // Without a band at all, the cards move up by its height and its gap.
        let (none, _) = at(0);
        assert_eq!(
            first.nodes[0].card.y - none.nodes[0].card.y,
            PENDING_HEIGHT + GAP
        );
        let origin = first.nodes[4].at_origin();
        assert_eq!((origin.card.x, origin.card.y), (0.0, 0.0));
        assert!(origin.slots.iter().all(|slot| origin.pods.contains(slot)));
    }

    #[test]
    fn tokens_start_and_end_at_their_components() {
        let (from, to) = ((10.0, 20.0), (310.0, 20.0));
        assert_eq!(token_position(from, to, 0.0), from);
        assert_eq!(token_position(from, to, 1.0), to);
        assert_eq!(token_position(from, to, 7.0), to);
        let middle = token_position(from, to, 0.5);
        assert!((middle.0 - 160.0).abs() < 1e-9);
        assert!(
            middle.1 > 20.0,
            "the arc bows off the straight line: {middle:?}"
        );
    }
}
