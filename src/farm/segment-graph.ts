/**
 * The graph a farm renders, and the graph one segment of it is. The farm needs one
 * Decoder (it is what gets split) and one Encoder (what gets joined), at the source's
 * own frame rate, so that a segment's frames are exactly the source frames in its range.
 * A segment's graph is the same document with the Decoder limited to the segment's frames
 * and the Encoder writing the segment: software encoder (every machine encodes alike, so
 * the segments join without re-encoding), no audio (muxed once over the whole at the
 * join), no faststart (the join rewrites the index anyway).
 */
import { resolve } from 'node:path';
import type { GraphDocument } from '../model/document.js';
import type { ResolvedGraph } from '../graph/resolved-graph.js';
import { farmUserError } from './farm-errors.js';
import type { SegmentJob } from './farm-queue.js';

export interface DecoderFacts {
  path: string;
  start: number;
  end: number | null;
  unit: 'frames' | 'seconds';
  fps: number | null;
}

export interface EncoderFacts {
  path: string;
  audio: 'copy' | 'reencode' | 'drop';
  fps: number | null;
  overwrite: boolean;
}

export interface FarmShape {
  decoderId: string;
  encoderId: string;
  decoder: DecoderFacts;
  encoder: EncoderFacts;
}

/** The graph's one Decoder and one Encoder, or a user error saying why the farm cannot run it. */
export function farmShape(graph: ResolvedGraph): FarmShape {
  const ofType = (type: string) => [...graph.nodes.values()].filter((n) => n.type === type);
  const decoders = ofType('Decoder');
  const encoders = ofType('Encoder');
  if (decoders.length !== 1 || encoders.length !== 1) {
    throw farmUserError(
      'FF_FARM_GRAPH_UNSUPPORTED',
      `A farm run splits one Decoder's video and joins one Encoder's output; this graph has ${decoders.length} Decoder(s) and ${encoders.length} Encoder(s).`,
      { fix: 'Run graphs with several decoders or encoders with `framefuse run` without --farm, or split them into one graph per output.' },
    );
  }
  const decoder = decoders[0]!;
  const encoder = encoders[0]!;
  const d = decoder.params as DecoderFacts;
  const e = encoder.params as EncoderFacts;
  if (d.fps !== null) {
    throw farmUserError('FF_FARM_GRAPH_UNSUPPORTED', `The Decoder changes the frame rate (fps ${d.fps}); a farm splits the source's own frames.`, {
      node: decoder.id,
      field: 'fps',
      fix: 'Leave the Decoder\'s fps empty for a farm run (change the rate in a second pass), or run without --farm.',
    });
  }
  if (e.fps !== null) {
    throw farmUserError('FF_FARM_GRAPH_UNSUPPORTED', `The Encoder changes the frame rate (fps ${e.fps}); segments of a farm run keep the source's rate so they join frame for frame.`, {
      node: encoder.id,
      field: 'fps',
      fix: 'Leave the Encoder\'s fps empty for a farm run, or run without --farm.',
    });
  }
  return { decoderId: decoder.id, encoderId: encoder.id, decoder: d, encoder: e };
}

/** The source frame range the Decoder's own trim asks for: [first, end). */
export function trimmedRange(decoder: DecoderFacts, fps: number, frameCount: number): { first: number; end: number } {
  const toFrame = (v: number) => (decoder.unit === 'frames' ? Math.round(v) : Math.round(v * fps));
  const first = Math.min(toFrame(decoder.start), frameCount);
  const end = decoder.end === null ? frameCount : Math.min(toFrame(decoder.end), frameCount);
  return { first, end };
}

/** Where a worker reads and writes a segment: the shared paths, or (stream mode) its local copies. */
export interface SegmentFiles {
  source: string;
  /** The segment's first and end frame in `source`. */
  startFrame: number;
  endFrame: number;
  output: string;
}

/** A copy of the run's document that renders one segment (the input is not mutated). */
export function segmentDocument(job: SegmentJob, files: SegmentFiles = sharedFiles(job)): GraphDocument {
  const document = structuredClone(job.document) as GraphDocument;
  for (const node of document.nodes) {
    if (node.id === job.decoderId) {
      node.params = { ...node.params, path: files.source, start: files.startFrame, end: files.endFrame, unit: 'frames' };
    } else if (node.id === job.encoderId) {
      node.params = { ...node.params, path: files.output, audio: 'drop', hardware: 'never', faststart: false, overwrite: true, keepTemp: false };
    }
  }
  return document;
}

export function sharedFiles(job: SegmentJob): SegmentFiles {
  return { source: job.source, startFrame: job.segment.startFrame, endFrame: job.segment.endFrame, output: job.segmentPath };
}

/** The source and output as absolute paths (relative ones resolve against `cwd`, as a run does). */
export function absolutePaths(shape: FarmShape, cwd: string): { source: string; output: string } {
  return { source: resolve(cwd, shape.decoder.path), output: resolve(cwd, shape.encoder.path) };
}
