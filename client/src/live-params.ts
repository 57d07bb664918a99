/** Whether a node's parameter may change while a live run goes: its role in the catalog says so (src/model/param-roles.ts). */
import { ROLE_KEY } from '../../src/model/param-roles.ts';
import type { GraphDocument, NodeCatalog } from './types.ts';

export function isLiveParam(catalog: NodeCatalog, doc: GraphDocument, nodeId: string, param: string): boolean {
  const type = doc.nodes.find((n) => n.id === nodeId)?.type;
  const node = catalog.nodes.find((n) => n.type === type);
  return node?.params.properties?.[param]?.[ROLE_KEY]?.liveEditable === true;
}
