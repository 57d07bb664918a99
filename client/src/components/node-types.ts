/** Node renderers by type, defined once at module level (React Flow re-mounts every node if this object changes). */
import { FlowNode } from './FlowNode.tsx';
import { GroupBox } from './GroupBox.tsx';
import { NoteCard } from './NoteCard.tsx';
import { StageGroup } from './StageGroup.tsx';

export const nodeTypes = { ff: FlowNode, stage: StageGroup, ffgroup: GroupBox, ffnote: NoteCard };
