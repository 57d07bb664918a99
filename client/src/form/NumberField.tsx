/** A number: typed freely, committed when it parses; a slider too when the schema gives a range. */
import { useEffect, useState } from 'react';

interface Props {
  id: string;
  value: number | null | undefined;
  placeholder: string;
  integer: boolean;
  min?: number;
  max?: number;
  nullable: boolean;
  onChange: (value: number | null | undefined) => void;
}

export function NumberField({ id, value, placeholder, integer, min, max, nullable, onChange }: Props) {
  const [text, setText] = useState(value === undefined || value === null ? '' : String(value));
  useEffect(() => setText(value === undefined || value === null ? '' : String(value)), [value]);
  const commit = (raw: string) => {
    setText(raw);
    if (raw.trim() === '') return onChange(nullable ? null : undefined);
    const n = Number(raw);
    if (Number.isFinite(n) && (!integer || Number.isInteger(n))) onChange(n);
  };
  const invalid = text.trim() !== '' && (!Number.isFinite(Number(text)) || (integer && !Number.isInteger(Number(text))));
  // A slider helps over a modest range; for 2..16384 pixels or an optional value, typing is better.
  const slider = min !== undefined && max !== undefined && max - min <= 1000 && !nullable;
  const current = typeof value === 'number' ? value : Number(placeholder);
  return (
    <div className="ff-number">
      {slider && (
        <input
          type="range"
          aria-label={`${id} slider`}
          min={min}
          max={max}
          step={integer ? 1 : (max - min) / 200}
          value={Number.isFinite(current) ? current : min}
          onChange={(e) => commit(e.target.value)}
        />
      )}
      <input id={id} className={invalid ? 'invalid' : ''} type="text" inputMode="decimal" value={text} placeholder={placeholder} onChange={(e) => commit(e.target.value)} />
    </div>
  );
}
