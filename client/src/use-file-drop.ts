/**
 * Files dropped on the canvas: a graph JSON opens; a video or image is uploaded into the
 * server's uploads folder (size-checked there, under a free name, never over a file) and
 * then, if it is an output that carries its graph (the Encoder's embedded tag), that graph
 * opens, else a Decoder (video) or Image (image) node reading the upload is added at the
 * drop point, as one undo step.
 */
import { useCallback } from 'react';
import type { GraphEdit } from '../../src/model/graph-edits.ts';
import { api, ApiError } from './api.ts';
import { addNodeEdit } from './graph-actions.ts';
import type { CatalogNode, GraphDocument } from './types.ts';

const VIDEO = /\.(mp4|m4v|mov|mkv|webm|avi)$/i;
const IMAGE = /\.(png|jpe?g|webp|bmp)$/i;

interface Deps {
  document: GraphDocument;
  byType: Map<string, CatalogNode>;
  apply: (edit: GraphEdit, options?: { select?: string[] }) => void;
  importFile: (file: File) => Promise<void>;
  openDocument: (doc: GraphDocument) => void;
  confirmDiscard: () => boolean;
  notify: (kind: 'info' | 'error' | 'ok', text: string) => void;
  /** After an upload: the lists of uploads (file pickers) read again. */
  refreshUploads?: () => void;
}

export function useFileDrop({ document, byType, apply, importFile, openDocument, confirmDiscard, notify, refreshUploads }: Deps) {
  return useCallback(
    async (files: File[], at: { x: number; y: number }) => {
      const json = files.find((f) => f.name.toLowerCase().endsWith('.json') || f.type === 'application/json');
      if (json) return importFile(json);
      const media = files.find((f) => VIDEO.test(f.name) || IMAGE.test(f.name));
      if (!media) {
        notify('error', `Drop a graph JSON, a video or an image (${files.map((f) => f.name).join(', ')} is none of them).`);
        return;
      }
      const limit = (await api.info().catch(() => null))?.limits.uploadBytes;
      if (limit !== undefined && media.size > limit) {
        notify('error', `${media.name} is ${(media.size / 1024 ** 2).toFixed(0)} MiB; the server takes uploads up to ${(limit / 1024 ** 2).toFixed(0)} MiB.`);
        return;
      }
      notify('info', `Uploading ${media.name}…`);
      let path: string;
      try {
        path = (await api.upload(media)).path;
      } catch (e) {
        notify('error', `Cannot upload ${media.name}: ${(e as Error).message}`);
        return;
      }
      refreshUploads?.();
      if (VIDEO.test(media.name)) {
        const carried = await api.embeddedGraph(path).catch((e: unknown) => (e instanceof ApiError && e.status === 404 ? null : Promise.reject(e))).catch(() => null);
        if (carried) {
          if (!confirmDiscard()) return;
          openDocument(carried.document);
          notify('ok', `Opened the graph ${media.name} was made with (not saved to a file)`);
          return;
        }
      }
      const def = byType.get(VIDEO.test(media.name) ? 'Decoder' : 'Image');
      if (!def) {
        notify('error', `Uploaded ${path}, but this server has no ${VIDEO.test(media.name) ? 'Decoder' : 'Image'} node to read it.`);
        return;
      }
      const { edit, id } = addNodeEdit(document, def, at, null);
      apply({ type: 'batch', edits: [edit, { type: 'setParam', id, param: 'path', value: path }] }, { select: [id] });
      notify('ok', `Uploaded ${media.name} as ${path} and added ${id} reading it`);
    },
    [document, byType, apply, importFile, openDocument, confirmDiscard, notify, refreshUploads],
  );
}
