/**
 * Where the edited graph lives: opening one from the server (?graph=... on start, else the
 * server's default; unsaved changes to it from before a reload come back), saving and saving as, the address bar, and the tab title and
 * leave-page warning while there are unsaved changes.
 */
import { useCallback, useEffect, useState } from 'react';
import { readShareFragment, SHARE_PREFIX } from './share-link.ts';
import { snapshotOf, unsavedActiveTab } from './tab-session.ts';
import { api, ApiError } from './api.ts';
import { emptyDocument } from './graph-model.ts';
import type { GraphState } from './use-graph.ts';
import type { Notify } from './use-toasts.ts';
import type { GraphDocument } from './types.ts';

export function setUrlGraph(name: string | null): void {
  const url = new URL(window.location.href);
  url.searchParams.delete('token'); // kept for the tab in sessionStorage; not left in the address bar
  if (name) url.searchParams.set('graph', name);
  else url.searchParams.delete('graph');
  window.history.replaceState(null, '', url);
}

/** The name a new document gets from the file it is first saved as. */
const DEFAULT_NAME = emptyDocument().name;
const stem = (file: string) => file.replace(/\.json$/i, '');

export function useGraphFile(graph: GraphState, notify: Notify, onOpened: () => void) {
  const [ready, setReady] = useState(false);
  const [saveAsOpen, setSaveAsOpen] = useState(false);

  const openGraph = useCallback(
    async (name: string) => {
      try {
        const read = await api.readGraph(name);
        if (!read.document) {
          notify('error', `${name} is not a valid graph: ${read.problems.map((p) => p.message).join('; ')}`);
          return;
        }
        graph.load(read.document, read.name, true);
        setUrlGraph(read.name);
        onOpened();
      } catch (e) {
        // A missing graph leaves an empty one that has nothing to save, and says what happened.
        if (e instanceof ApiError && e.status === 404) {
          graph.load(emptyDocument(), null, true);
          setUrlGraph(null);
          notify('error', `There is no graph named ${name} on this server: opened an empty graph instead.`);
        } else notify('error', `Cannot open ${name}: ${(e as Error).message}`);
      }
    },
    [graph, notify, onOpened],
  );

  // Start: the graph a share link carries (#graph=...), else ?graph=..., else the server's default graph.
  useEffect(() => {
    const wanted = new URLSearchParams(window.location.search).get('graph');
    const shared = window.location.hash.startsWith(SHARE_PREFIX) ? window.location.hash : null;
    api
      .info()
      .then(async (info) => {
        if (shared) {
          history.replaceState(null, '', window.location.pathname + window.location.search);
          const read = await readShareFragment(shared);
          if (read.document) {
            graph.load(read.document, null, false);
            onOpened();
            notify('ok', `Opened the shared graph "${read.document.name}" (not saved to a file yet).`);
          } else notify('error', `Cannot open the shared graph: ${read.problems.map((p) => p.message).join('; ')}`);
          return;
        }
        // Unsaved changes to this graph from before a reload come back (tab-session.ts).
        const unsaved = unsavedActiveTab(wanted);
        if (unsaved) {
          graph.restore(snapshotOf(unsaved));
          setUrlGraph(unsaved.fileName);
          onOpened();
          return;
        }
        const name = wanted ?? info.defaultGraph;
        if (name) await openGraph(name);
      })
      .catch((e: Error) => notify('error', e.message))
      .finally(() => setReady(true));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Unsaved changes: the tab title says so, and leaving asks first.
  useEffect(() => {
    document.title = `${graph.dirty ? '● ' : ''}${graph.fileName ?? graph.document.name} — framefuse`;
    if (!graph.dirty) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [graph.dirty, graph.fileName, graph.document.name]);

  const save = useCallback(
    async (asName?: string) => {
      const name = asName ?? graph.fileName;
      if (!name) {
        setSaveAsOpen(true);
        return;
      }
      let doc: GraphDocument = graph.document;
      // A new graph saved as "faces.json" is listed as "faces", not "untitled".
      if (asName && doc.name === DEFAULT_NAME) {
        graph.apply({ type: 'setField', field: 'name', value: stem(asName) });
        doc = { ...doc, name: stem(asName) };
      }
      try {
        if (asName && asName !== graph.fileName) {
          try {
            await api.createGraph(asName, doc);
          } catch (e) {
            if (!(e instanceof ApiError && e.code === 'FF_EXISTS') || !window.confirm(`${asName} exists. Replace it?`)) throw e;
            await api.saveGraph(asName, doc);
          }
        } else {
          await api.saveGraph(name, doc);
        }
        graph.markSaved(name, doc);
        setUrlGraph(name);
        notify('ok', `Saved ${name}`);
      } catch (e) {
        notify('error', `Not saved: ${(e as Error).message}`);
      }
    },
    [graph, notify],
  );

  const confirmDiscard = useCallback(() => !graph.dirty || window.confirm('Discard unsaved changes?'), [graph.dirty]);

  return { ready, openGraph, save, confirmDiscard, saveAsOpen, setSaveAsOpen };
}
