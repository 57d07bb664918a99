/**
 * A titled group box behind its nodes: dragged by its title (its nodes come along), renamed
 * by a double-click on the title, resized by its handles when selected (its nodes stay).
 */
import { memo } from 'react';
import { NodeResizer, type NodeProps } from '@xyflow/react';
import type { GroupNode } from '../annotations.ts';
import { useEditorView } from '../editor-context.ts';

function GroupBoxView({ data, selected }: NodeProps<GroupNode>) {
  const view = useEditorView();
  const { group } = data;
  const color = group.color ?? '#5a6b8c';
  return (
    <>
      <NodeResizer isVisible={selected} minWidth={160} minHeight={90} color={color} />
      <div className={`ff-group${selected ? ' selected' : ''}`} style={{ borderColor: color, background: `${color}22` }} data-testid={`group-${group.id}`}>
        <div className="ff-group-title" style={{ background: `${color}66` }} onDoubleClick={() => view.renameGroup(group.id)} title="Drag to move the group and its nodes; double-click to rename">
          {group.title || 'Group'}
        </div>
      </div>
    </>
  );
}

export const GroupBox = memo(GroupBoxView);
