/** A labelled group of checkboxes over named things (teams, users): picks a list of ids. */
export function Checklist({
  legend,
  options,
  selected,
  onChange,
}: {
  legend: string;
  options: readonly { id: number; name: string }[];
  selected: readonly number[];
  onChange: (ids: number[]) => void;
}) {
  return (
    <fieldset className="checklist">
      <legend>{legend}</legend>
      {options.length === 0 && <span className="muted">None to choose from</span>}
      {options.map((o) => (
        <label key={o.id}>
          <input
            type="checkbox"
            checked={selected.includes(o.id)}
            onChange={(e) => onChange(e.target.checked ? [...selected, o.id] : selected.filter((id) => id !== o.id))}
          />
          {o.name}
        </label>
      ))}
    </fieldset>
  );
}
