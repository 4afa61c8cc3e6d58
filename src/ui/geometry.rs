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
/// Control-plane component boxes: wide enough for "kube-controller-manager" in bold.
pub const COMPONENT_MIN_WIDTH: f64 = 220.0;
pub const COMPONENT_HEIGHT: f64 = 50.0;
/// The Services row: a label on the left, then one pill per Service.
pub const SERVICE_LABEL_WIDTH: f64 = 96.0;
pub const SERVICE_MIN_WIDTH: f64 = 300.0;
pub const SERVICE_HEIGHT: f64 = 32.0;
/// Node cards: header (name, address, status), agent chips, then the pod area.
pub const NODE_MIN_WIDTH: f64 = 210.0;
pub const NODE_HEADER_HEIGHT: f64 = 56.0;
pub const AGENT_HEIGHT: f64 = 28.0;
/// kubelet, kube-proxy chip widths.
pub const AGENT_WIDTHS: [f64; 2] = [78.0, 98.0];
pub const POD_AREA_MIN_HEIGHT: f64 = 44.0;
/// Node cards grow to fill a tall panel, up to this height (room for pods later).
pub const NODE_MAX_HEIGHT: f64 = 360.0;
/// The cluster view shrinks its drawing down to this scale to fit the panel's height
/// before it starts to scroll.
pub const MIN_FIT_SCALE: f64 = 0.8;
/// Narrower than this, the view scrolls sideways instead of squeezing boxes.
pub const MIN_WIDTH: f64 = 300.0;

/// How many of each thing to place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Counts {
    pub components: usize,
    pub services: usize,
    pub nodes: usize,
}

/// One node card and its parts.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeCard {
    pub card: Rect,
    /// kubelet, then kube-proxy.
    pub agents: [Rect; 2],
    /// Where the node's pods are drawn.
    pub pods: Rect,
}

/// Everything the cluster view draws, top to bottom.
#[derive(Clone, Debug, PartialEq)]
pub struct ClusterLayout {
    /// The drawing's size (the SVG's viewBox).
    pub width: f64,
    pub height: f64,
    /// The control-plane band and the component boxes inside it.
    pub control_plane: Rect,
    pub components: Vec<Rect>,
    /// The Services row (label plus pills).
    pub services_band: Rect,
    pub services: Vec<Rect>,
    /// The node cards.
    pub nodes: Vec<NodeCard>,
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
    let columns = columns.max(1);
    let cell_width = (width - GAP * (columns as f64 - 1.0)) / columns as f64;
    (0..count)
        .map(|i| {
            let (row, column) = (i / columns, i % columns);
            Rect::new(
                x + column as f64 * (cell_width + GAP),
                y + row as f64 * (cell_height + GAP),
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

/// Lays the cluster out for a drawing `width` pixels wide. Node cards grow (up to
/// [`NODE_MAX_HEIGHT`]) so that the drawing fills `fill_height` when it can.
pub fn layout_cluster(width: f64, fill_height: f64, counts: Counts) -> ClusterLayout {
    let width = width.max(MIN_WIDTH);
    let inner_width = width - 2.0 * PADDING;

    // Control plane: a band with a title line and a grid of component boxes.
    let band_inner = inner_width - 2.0 * PADDING;
    let component_columns = columns_for(band_inner, COMPONENT_MIN_WIDTH, GAP, counts.components);
    let components_top = PADDING + TITLE_HEIGHT;
    let components = grid(
        2.0 * PADDING,
        components_top,
        band_inner,
        COMPONENT_HEIGHT,
        counts.components,
        component_columns,
    );
    let band_bottom = grid_bottom(
        components_top,
        COMPONENT_HEIGHT,
        counts.components,
        component_columns,
    ) + PADDING;
    let control_plane = Rect::new(PADDING, PADDING, inner_width, band_bottom - PADDING);

    // Services: a label, then pills, between the control plane and the nodes.
    let services_top = control_plane.bottom() + GAP;
    let pills_x = PADDING + SERVICE_LABEL_WIDTH;
    let pills_width = inner_width - SERVICE_LABEL_WIDTH;
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

    // Nodes: cards in a grid.
    let nodes_top = services_band.bottom() + GAP;
    let node_columns = columns_for(inner_width, NODE_MIN_WIDTH, GAP, counts.nodes);
    let node_rows = counts.nodes.div_ceil(node_columns).max(1) as f64;
    let min_card_height = NODE_HEADER_HEIGHT + AGENT_HEIGHT + GAP + POD_AREA_MIN_HEIGHT + PADDING;
    let room = (fill_height - nodes_top - PADDING - (node_rows - 1.0) * GAP) / node_rows;
    let card_height = room.clamp(min_card_height, NODE_MAX_HEIGHT.max(min_card_height));
    let nodes = grid(
        PADDING,
        nodes_top,
        inner_width,
        card_height,
        counts.nodes,
        node_columns,
    )
    .into_iter()
    .map(node_card)
    .collect();
    let height = grid_bottom(nodes_top, card_height, counts.nodes, node_columns) + PADDING;

    ClusterLayout {
        width,
        height,
        control_plane,
        components,
        services_band,
        services,
        nodes,
    }
}

/// The parts of one node card.
fn node_card(card: Rect) -> NodeCard {
    let agents_y = card.y + NODE_HEADER_HEIGHT;
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
    }
}

/// The layout for a panel `width` × `height` pixels, and the scale to draw it at: full
/// size when it fits, else shrunk (not below [`MIN_FIT_SCALE`]) until it fits the height,
/// laid out for the wider width the smaller scale leaves room for.
pub fn fit_layout(width: f64, height: f64, counts: Counts) -> (ClusterLayout, f64) {
    let mut scale = 1.0;
    loop {
        // One pixel short of the panel, so rounding never adds a scrollbar.
        let layout = layout_cluster(width / scale, height / scale - 1.0, counts);
        if layout.height * scale <= height || scale <= MIN_FIT_SCALE + 1e-9 {
            return (layout, scale);
        }
        scale = (scale - 0.05).max(MIN_FIT_SCALE);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEFAULT: Counts = Counts {
        components: 6,
        services: 2,
        nodes: 4,
    };

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
        assert!(!layout.services_band.overlaps(&layout.control_plane));
        for node in &layout.nodes {
            assert!(drawing.contains(&node.card));
            assert!(!node.card.overlaps(&layout.services_band));
            for part in node.agents.iter().chain([&node.pods]) {
                assert!(node.card.contains(part), "{part:?} outside {:?}", node.card);
            }
            assert!(!node.agents[0].overlaps(&node.agents[1]));
            assert!(node.pods.height >= POD_AREA_MIN_HEIGHT);
        }
        let boxes: Vec<Rect> = layout
            .components
            .iter()
            .chain(&layout.services)
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
    fn wide_view_puts_each_group_on_one_row() {
        let layout = layout_cluster(1600.0, 0.0, DEFAULT);
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
        let layout = layout_cluster(940.0, 0.0, DEFAULT);
        assert_well_formed(&layout);
        let rows = |rects: Vec<f64>| {
            let mut ys = rects;
            ys.dedup();
            ys.len()
        };
        assert_eq!(rows(layout.components.iter().map(|r| r.y).collect()), 2);
        assert_eq!(rows(layout.nodes.iter().map(|n| n.card.y).collect()), 1);
    }

    #[test]
    fn fitting_shrinks_only_as_far_as_needed() {
        let (roomy, scale) = fit_layout(1200.0, 2000.0, DEFAULT);
        assert_eq!(scale, 1.0);
        assert_eq!(roomy.width, 1200.0);

        let (tight, scale) = fit_layout(940.0, 320.0, DEFAULT);
        assert!((MIN_FIT_SCALE..1.0).contains(&scale), "{scale}");
        assert!((tight.width * scale - 940.0).abs() < 1e-6);
        assert!(tight.height * scale <= 320.0 || scale == MIN_FIT_SCALE);

        let (_, scale) = fit_layout(940.0, 50.0, DEFAULT);
        assert_eq!(scale, MIN_FIT_SCALE);
    }

    #[test]
    fn boxes_never_get_narrower_than_their_minimum_unless_the_view_is() {
        for width in [300.0, 480.0, 640.0, 900.0, 1280.0, 1920.0, 2560.0] {
            let layout = layout_cluster(width, 0.0, DEFAULT);
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
        let short = layout_cluster(1200.0, 0.0, DEFAULT);
        let tall = layout_cluster(1200.0, short.height + 100.0, DEFAULT);
        assert_well_formed(&tall);
        assert_eq!(tall.height, short.height + 100.0);
        assert_eq!(
            tall.nodes[0].pods.height,
            short.nodes[0].pods.height + 100.0
        );
        let huge = layout_cluster(1200.0, 10_000.0, DEFAULT);
        assert_eq!(huge.nodes[0].card.height, NODE_MAX_HEIGHT);
    }

    #[test]
    fn tiny_widths_are_clamped() {
        let layout = layout_cluster(10.0, 0.0, DEFAULT);
        assert_eq!(layout.width, MIN_WIDTH);
        assert_well_formed(&layout);
    }
}
