/** The side panel for one selected node: what it is, its problems, and its parameter form. */
import { ParamForm } from '../form/ParamForm.tsx';
import type { CatalogNode, GraphNode, ModelListing, Problem, UploadListing } from '../types.ts';

interface Props {
  node: GraphNode;
  def: CatalogNode;
  issues: { problems: Problem[]; params: Map<string, string> } | undefined;
  uploads: UploadListing[];
  models: ModelListing[];
  modelProgress: Record<string, number | null>;
  onUploaded: () => void;
  onPull: (id: string) => void;
  onChange: (key: string, value: unknown) => void;
}

export function NodeInspector({ node, def, issues, uploads, models, modelProgress, onUploaded, onPull, onChange }: Props) {
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
      <ParamForm
        nodeId={node.id}
        def={def}
        params={node.params ?? {}}
        fieldProblems={issues?.params ?? new Map()}
        uploads={uploads}
        models={models}
        modelProgress={modelProgress}
        onUploaded={onUploaded}
        onPull={onPull}
        onChange={onChange}
      />
    </div>
  );
}
