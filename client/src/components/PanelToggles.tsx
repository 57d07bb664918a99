/** The buttons on the canvas's edges that fold the palette and the side panel away and back. */
export function PanelToggles({ palette, side, onPalette, onSide }: { palette: boolean; side: boolean; onPalette: () => void; onSide: () => void }) {
  return (
    <>
      <button type="button" className="ff-panel-toggle left" onClick={onPalette} data-testid="toggle-palette" title={palette ? 'Hide the node palette' : 'Show the node palette'}>
        {palette ? '‹' : '›'}
      </button>
      <button type="button" className="ff-panel-toggle right" onClick={onSide} data-testid="toggle-side" title={side ? 'Hide the side panel' : 'Show the side panel'}>
        {side ? '›' : '‹'}
      </button>
    </>
  );
}
