import { PCA } from 'ml-pca';
import { UMAP } from 'umap-js';
import type { Embeddings } from '../query/embeddings.js';
import type { NeighborSearch } from '../query/neighbor-search.js';
import { Random } from '../base/random.js';

export const MAP_METHODS = ['umap', 'pca'] as const;
export type MapMethod = (typeof MAP_METHODS)[number];

/** A word on the map: `ring` 0 is the word asked about, 1 its neighbours, 2 their neighbours. */
export interface MapPoint {
  word: string;
  ring: 0 | 1 | 2;
  x: number;
  y: number;
}

export interface NeighbourhoodMap {
  word: string;
  /** The layout used; fewer points than UMAP needs are laid out by PCA. */
  method: MapMethod;
  points: MapPoint[];
}

export interface MapOptions {
  /** Neighbours of the word. */
  k: number;
  /** Neighbours of each neighbour. */
  k2: number;
  method: MapMethod;
}

/** UMAP's default neighbourhood size; fewer points than this and the graph it builds means little. */
const UMAP_NEIGHBORS = 15;
const UMAP_MIN_POINTS = 8;
/** A fixed seed, so that the same word always gets the same picture. */
const UMAP_SEED = 42;

/**
 * The word, its k nearest neighbours and each one's k2 nearest, laid out in two dimensions from
 * their unit vectors (so distances follow cosine), scaled into [-1, 1]. Throws UnknownWordError
 * when the word is missing.
 */
export function neighbourhoodMap(embeddings: Embeddings, search: NeighborSearch, word: string, options: MapOptions): NeighbourhoodMap {
  const rings = new Map<string, 0 | 1 | 2>([[word, 0]]);
  const first = search.search([word], options.k);
  for (const n of first) if (!rings.has(n.word)) rings.set(n.word, 1);
  for (const n of first) {
    for (const m of search.search([n.word], options.k2)) if (!rings.has(m.word)) rings.set(m.word, 2);
  }
  const words = [...rings.keys()];
  const rows = words.map((w) => Array.from(embeddings.unitVector(w)));
  let method = rows.length >= UMAP_MIN_POINTS ? options.method : 'pca';
  let coordinates = method === 'umap' ? umapLayout(rows) : pcaLayout(rows);
  // UMAP can leave points undefined on degenerate input (identical vectors); PCA never does.
  if (!coordinates.every((c) => Number.isFinite(c[0]) && Number.isFinite(c[1]))) {
    method = 'pca';
    coordinates = pcaLayout(rows);
  }
  const scaled = scaleIntoUnitSquare(coordinates);
  return { word, method, points: words.map((w, i) => ({ word: w, ring: rings.get(w)!, x: scaled[i][0], y: scaled[i][1] })) };
}

function umapLayout(rows: number[][]): number[][] {
  const random = new Random(UMAP_SEED);
  const umap = new UMAP({ nComponents: 2, nNeighbors: Math.min(UMAP_NEIGHBORS, rows.length - 1), random: () => random.nextFloat() });
  return umap.fit(rows);
}

/** The first two principal components; a single point, or points all alike, sit at the origin. */
function pcaLayout(rows: number[][]): number[][] {
  if (rows.length < 2) return rows.map(() => [0, 0]);
  const projected = new PCA(rows).predict(rows, { nComponents: 2 }).to2DArray();
  return projected.map((p) => [finiteOrZero(p[0]), finiteOrZero(p[1])]);
}

function finiteOrZero(x: number | undefined): number {
  return x !== undefined && Number.isFinite(x) ? x : 0;
}

/** Centres the points and scales both axes by the same factor, so the shape is kept. */
function scaleIntoUnitSquare(points: number[][]): number[][] {
  const centre = [0, 1].map((axis) => {
    const values = points.map((p) => p[axis]);
    return (Math.min(...values) + Math.max(...values)) / 2;
  });
  const extent = Math.max(...points.flatMap((p) => [Math.abs(p[0] - centre[0]), Math.abs(p[1] - centre[1])]));
  const scale = extent > 0 ? 1 / extent : 0;
  return points.map((p) => [(p[0] - centre[0]) * scale, (p[1] - centre[1]) * scale]);
}
