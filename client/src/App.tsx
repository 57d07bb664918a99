/**
 * The application shell: loads the node catalog from the server (which drives the palette,
 * the ports and the forms), then shows the editor.
 */
import { useEffect, useState } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import { api } from './api.ts';
import { Editor } from './Editor.tsx';
import type { NodeCatalog } from './types.ts';

export function App() {
  const [catalog, setCatalog] = useState<NodeCatalog | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.catalog().then(setCatalog, (e: Error) => setError(e.message));
  }, []);
  if (error) return <div className="ff-fatal">Cannot reach the framefuse server: {error}</div>;
  if (!catalog) return <div className="ff-fatal">Loading the node catalog…</div>;
  return (
    <ReactFlowProvider>
      <Editor catalog={catalog} />
    </ReactFlowProvider>
  );
}
