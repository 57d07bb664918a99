/** A free text note on the canvas (the planner never sees it): typed in place, one undo step per run of typing. */
import { memo, useEffect, useState } from 'react';
import type { NodeProps } from '@xyflow/react';
import type { NoteNode } from '../annotations.ts';
import { useEditorView } from '../editor-context.ts';

function NoteCardView({ data, selected }: NodeProps<NoteNode>) {
  const view = useEditorView();
  const { note } = data;
  const [text, setText] = useState(note.text);
  useEffect(() => setText(note.text), [note.text]);
  return (
    <div className={`ff-note${selected ? ' selected' : ''}`} style={note.color ? { borderColor: note.color, background: `${note.color}33` } : undefined} data-testid={`note-${note.id}`}>
      <div className="ff-note-title">Note</div>
      <textarea
        className="nodrag nowheel"
        aria-label="Note text"
        placeholder="Write a note…"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          view.editNote(note.id, e.target.value);
        }}
      />
    </div>
  );
}

export const NoteCard = memo(NoteCardView);
