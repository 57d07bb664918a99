/** Where a Camera node's frames come from: its URL when one is set (source auto), else the editor's browser camera. Shared by the node, the server and the editor. */
export function cameraSourceKind(params: { source?: string; url?: string }): 'url' | 'browser' {
  const source = params.source ?? 'auto';
  if (source === 'auto') return (params.url ?? '').trim() !== '' ? 'url' : 'browser';
  return source === 'url' ? 'url' : 'browser';
}
