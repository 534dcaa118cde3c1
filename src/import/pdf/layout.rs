//! Reading order by layout: columns found from where the text sits, not from the order the
//! file draws it in.
//!
//! A page drawn row by row across its columns (a form's instructions in three columns, a
//! newsletter) would otherwise read "first line of column 1, first line of column 2, …". The
//! page's pieces of text (a drawn line cut at wide gaps) are grouped into rows by baseline,
//! and consecutive rows into bands that share a gutter: a strip of the page, at least a
//! glyph wide, that no piece of text in the band crosses. A band of at least
//! [`MIN_COLUMN_ROWS`] rows with a gutter, whose columns each hold two rows or more of running
//! text (not a date beside a heading, not a table's short cells), is read column by column (right to left on a page of right-to-left
//! text), each column from top to bottom; other bands keep their lines as drawn.
//! A page with no such band keeps its drawing order untouched, so single-column pages read as
//! before. One level only: no columns within columns.
//!
//! Pure: boxes in, an order out.

/// A column's lines have at least this many words on average; fewer, it is a table's column.
const MIN_COLUMN_WORDS: f64 = 3.0;

/// Pages with more pieces of text than this keep their drawing order: finding bands costs
/// the square of the pieces at worst, and a page of this much text is not an article's.
const MAX_PIECES: usize = 5_000;

/// A band with fewer rows than this is not read as columns (a line with its left and right
/// parts far apart, a heading beside a date).
pub(super) const MIN_COLUMN_ROWS: usize = 3;

/// A piece of a drawn line, where it sits (points, y growing downwards), and the line it is
/// part of.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Piece {
    /// How many words the piece has.
    pub words: usize,
    pub x0: f64,
    pub x1: f64,
    pub y: f64,
    pub size: f64,
    pub line: usize,
}

/// What the page reads, in order: a whole drawn line, or one piece of a line cut into columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Item {
    Line(usize),
    Piece(usize),
}

/// The page's reading order, or None when it has no columns (its drawing order stands).
pub(super) fn reading_order(pieces: &[Piece], rtl: bool) -> Option<Vec<Item>> {
    if pieces.len() > MAX_PIECES {
        return None;
    }
    let rows = rows(pieces);
    let bands = bands(pieces, &rows);
    let columned: Vec<bool> = bands.iter().map(|b| columned(pieces, &rows, b)).collect();
    if !columned.contains(&true) {
        return None;
    }
    let mut order = Vec::new();
    for (band, &in_columns) in bands.iter().zip(&columned) {
        let members: Vec<usize> = rows_members(&rows, band).collect();
        if in_columns {
            let cuts = gutters(pieces, members.iter().copied());
            // Each piece's column, once (the gutters are sorted and disjoint).
            let mut keyed: Vec<(usize, usize)> = members
                .into_iter()
                .map(|m| {
                    let k = column_of(&cuts, &pieces[m]);
                    (if rtl { cuts.len() - k } else { k }, m)
                })
                .collect();
            keyed.sort_by(|&(ca, a), &(cb, b)| {
                let (pa, pb) = (&pieces[a], &pieces[b]);
                ca.cmp(&cb)
                    .then(pa.y.total_cmp(&pb.y))
                    .then(pa.x0.total_cmp(&pb.x0))
            });
            order.extend(keyed.into_iter().map(|(_, m)| Item::Piece(m)));
        } else {
            let mut lines: Vec<usize> = members.iter().map(|&m| pieces[m].line).collect();
            lines.sort_unstable();
            lines.dedup();
            order.extend(lines.into_iter().map(Item::Line));
        }
    }
    Some(order)
}

/// True for a band read as columns: at least [`MIN_COLUMN_ROWS`] rows, a gutter, and in every
/// column text on at least two rows (a date beside a heading is not a column) and lines of
/// running text, [`MIN_COLUMN_WORDS`] words or more on average (a table's cells are short:
/// its rows stay rows).
fn columned(pieces: &[Piece], rows: &[Vec<usize>], band: &[usize]) -> bool {
    if band.len() < MIN_COLUMN_ROWS {
        return false;
    }
    let cuts = gutters(pieces, rows_members(rows, band));
    if cuts.is_empty() {
        return false;
    }
    // Per column, in one pass over the band: its pieces, their words, and the rows with text.
    let columns = cuts.len() + 1;
    let mut count = vec![0usize; columns];
    let mut words = vec![0usize; columns];
    let mut rows_with_text = vec![0usize; columns];
    for &r in band {
        let mut seen = vec![false; columns];
        for &m in &rows[r] {
            let col = column_of(&cuts, &pieces[m]);
            count[col] += 1;
            words[col] += pieces[m].words;
            seen[col] = true;
        }
        for (col, seen) in seen.into_iter().enumerate() {
            rows_with_text[col] += usize::from(seen);
        }
    }
    (0..columns).all(|col| {
        rows_with_text[col] >= 2 && words[col] as f64 >= MIN_COLUMN_WORDS * count[col] as f64
    })
}

/// The column a piece is in: how many gutters lie left of it (`cuts` sorted and disjoint).
fn column_of(cuts: &[(f64, f64)], piece: &Piece) -> usize {
    cuts.partition_point(|g| g.1 <= piece.x0)
}

/// The pieces grouped into rows by baseline, top to bottom.
fn rows(pieces: &[Piece]) -> Vec<Vec<usize>> {
    let mut by_y: Vec<usize> = (0..pieces.len()).collect();
    by_y.sort_by(|&a, &b| pieces[a].y.total_cmp(&pieces[b].y));
    let mut rows: Vec<Vec<usize>> = Vec::new();
    let mut row_y = f64::NEG_INFINITY;
    let mut row_size = 0.0f64;
    for i in by_y {
        let p = &pieces[i];
        match rows.last_mut() {
            Some(row) if (p.y - row_y).abs() <= 0.5 * p.size.max(row_size) => {
                row.push(i);
                row_size = row_size.max(p.size);
            }
            _ => {
                rows.push(vec![i]);
                row_y = p.y;
                row_size = p.size;
            }
        }
    }
    rows
}

fn rows_members<'a>(rows: &'a [Vec<usize>], band: &'a [usize]) -> impl Iterator<Item = usize> + 'a {
    band.iter().flat_map(move |&r| rows[r].iter().copied())
}

/// Consecutive rows grouped into bands: a row joins the band above while they share a gutter,
/// or while neither has one; a row with a gutter after a band without one (the columns under
/// a heading), or a row that closes every gutter of a band that had one, starts a new band.
fn bands(pieces: &[Piece], rows: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let mut bands: Vec<Vec<usize>> = Vec::new();
    let mut cover = Cover::default();
    for (r, row) in rows.iter().enumerate() {
        let mut row_cover = Cover::default();
        for &m in row {
            row_cover.add(&pieces[m]);
        }
        let mut with_row = cover.clone();
        for &m in row {
            with_row.add(&pieces[m]);
        }
        let joins = !bands.is_empty()
            && (!with_row.gutters().is_empty()
                || (cover.gutters().is_empty() && row_cover.gutters().is_empty()));
        if joins && let Some(band) = bands.last_mut() {
            band.push(r);
            cover = with_row;
        } else {
            bands.push(vec![r]);
            cover = row_cover;
        }
    }
    bands
}

/// The strips (x from, x to) inside the pieces' extent that none of them covers, at least as
/// wide as the pieces' largest glyph size.
fn gutters(pieces: &[Piece], members: impl Iterator<Item = usize>) -> Vec<(f64, f64)> {
    let mut cover = Cover::default();
    for m in members {
        cover.add(&pieces[m]);
    }
    cover.gutters()
}

/// What a set of pieces covers across the page: sorted, disjoint spans of x, and the largest
/// glyph size among them. Grown a piece at a time, so that building bands row by row costs
/// the number of spans per row, not the size of the band.
#[derive(Clone, Debug, Default)]
struct Cover {
    spans: Vec<(f64, f64)>,
    size: f64,
}

impl Cover {
    fn add(&mut self, piece: &Piece) {
        self.size = self.size.max(piece.size);
        let (mut x0, mut x1) = (piece.x0, piece.x1.max(piece.x0));
        // The spans that touch the new one are merged into it.
        let first = self.spans.partition_point(|s| s.1 < x0);
        let mut last = first;
        while last < self.spans.len() && self.spans[last].0 <= x1 {
            x0 = x0.min(self.spans[last].0);
            x1 = x1.max(self.spans[last].1);
            last += 1;
        }
        self.spans.splice(first..last, [(x0, x1)]);
    }

    fn gutters(&self) -> Vec<(f64, f64)> {
        self.spans
            .windows(2)
            .filter(|w| w[1].0 - w[0].1 >= self.size.max(1.0))
            .map(|w| (w[0].1, w[1].0))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piece(x0: f64, x1: f64, y: f64, line: usize) -> Piece {
        Piece {
            words: 5,
            x0,
            x1,
            y,
            size: 10.0,
            line,
        }
    }

    #[test]
    fn three_columns_drawn_row_by_row_read_column_by_column() {
        // A heading, then four rows of three columns, each row drawn as one line cut in three.
        let mut pieces = vec![piece(50.0, 500.0, 50.0, 0)];
        for row in 0..4 {
            let y = 80.0 + 12.0 * row as f64;
            for col in 0..3 {
                let x = 50.0 + 160.0 * col as f64;
                pieces.push(piece(x, x + 140.0, y, row + 1));
            }
        }
        let order = reading_order(&pieces, false).expect("columns");
        let want: Vec<Item> = std::iter::once(Item::Line(0))
            .chain((0..3).flat_map(|col| (0..4).map(move |row| Item::Piece(1 + row * 3 + col))))
            .collect();
        assert_eq!(order, want);
        // On a right-to-left page the rightmost column is read first.
        let order = reading_order(&pieces, true).expect("columns");
        assert_eq!(order[1], Item::Piece(3));
    }

    #[test]
    fn a_table_of_short_cells_keeps_its_rows() {
        // Label and value, four rows: far apart, but cells, not columns of text.
        let mut pieces = Vec::new();
        for row in 0..4 {
            let y = 80.0 + 12.0 * row as f64;
            pieces.push(Piece {
                words: 2,
                ..piece(50.0, 150.0, y, row)
            });
            pieces.push(Piece {
                words: 1,
                ..piece(300.0, 330.0, y, row)
            });
        }
        assert_eq!(reading_order(&pieces, false), None);
    }

    #[test]
    fn spans_merge_and_leave_gutters() {
        let mut cover = Cover::default();
        for (x0, x1) in [
            (100.0, 150.0),
            (0.0, 40.0),
            (45.0, 60.0),
            (200.0, 220.0),
            (55.0, 105.0),
        ] {
            cover.add(&piece(x0, x1, 0.0, 0));
        }
        assert_eq!(cover.spans, [(0.0, 40.0), (45.0, 150.0), (200.0, 220.0)]);
        // 5 points is narrower than the glyph size (10): not a gutter.
        assert_eq!(cover.gutters(), [(150.0, 200.0)]);
    }

    #[test]
    fn a_single_column_or_a_short_split_line_keeps_the_drawing_order() {
        let lines: Vec<Piece> = (0..5)
            .map(|i| piece(50.0, 300.0 - 10.0 * i as f64, 80.0 + 12.0 * i as f64, i))
            .collect();
        assert_eq!(reading_order(&lines, false), None);
        // A heading with a date far to its right: two pieces on one row, no columns.
        let mut pieces = lines.clone();
        pieces.push(piece(400.0, 480.0, 80.0, 0));
        assert_eq!(reading_order(&pieces, false), None);
    }
}
