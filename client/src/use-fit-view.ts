/**
 * Fitting the view to the graph, the way the editor does it after a load, a tab switch or F:
 * once every node of the graph has been measured. Fitting earlier (a loaded machine measures
 * late) fits only the nodes already drawn and leaves the rest off screen, under the panels.
 */
import { useCallback } from 'react';
import { useReactFlow } from '@xyflow/react';
import { FIT_VIEW } from './components/Canvas.tsx';
import type { FfEdge, FfNode } from './graph-model.ts';

/** `fit()` fits soon (waiting up to 2 s for measurements); `fitNow()` fits at once. */
export function useFitView(): { fit: () => void; fitNow: () => void } {
  const flow = useReactFlow<FfNode, FfEdge>();
  const fitNow = useCallback(() => void flow.fitView({ ...FIT_VIEW, duration: 200 }), [flow]);
  const fit = useCallback(() => {
    let tries = 0;
    const attempt = () => {
      if (flow.getNodes().some((n) => !n.measured?.width) && tries++ < 40) setTimeout(attempt, 50);
      else fitNow();
    };
    setTimeout(attempt, 50);
  }, [flow, fitNow]);
  return { fit, fitNow };
}
