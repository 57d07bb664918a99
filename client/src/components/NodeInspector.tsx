/** The side panel for one selected node: what it is, its problems, and its parameter form. */
import { ParamForm, type ParamFormProps } from '../form/ParamForm.tsx';
import type { GraphNode, Problem } from '../types.ts';

/** The form's props that come from the node and its problems are derived here; the rest pass through. */
type Props = Omit<ParamFormProps, 'nodeId' | 'params' | 'fieldProblems'> & {
  node: GraphNode;
  issues: { problems: Problem[]; params: Map<string, string> } | undefined;
};

const NO_FIELD_PROBLEMS: Map<string, string> = new Map();

export function NodeInspector({ node, issues, ...form }: Props) {
  const { def } = form;
  return (
    <div className="ff-inspector" data-testid="inspector">
      <h2>{def.title}</h2>
      <div className="ff-hint">
        <code>{node.id}</code> · {def.type} v{def.version} · {def.kind}
      </div>
      <p className="ff-desc">{def.description}</p>
      {(issues?.problems ?? []).map((p, i) => (
        <div key={i} className={`ff-problem ${p.severity}`}>
          <b>{p.code}</b> {p.field ? <code>{p.field}</code> : null} {p.message}
        </div>
      ))}
      <ParamForm {...form} nodeId={node.id} params={node.params ?? {}} fieldProblems={issues?.params ?? NO_FIELD_PROBLEMS} />
    </div>
  );
}
