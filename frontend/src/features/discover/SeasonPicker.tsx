// Which seasons of a show to request: all of them (the default), or a choice. With a known list
// of seasons it is a set of checkboxes; otherwise the user types the numbers ("1, 3, 5-7").

import { useId } from "react";
import { parseSeasonList } from "./api";

export type SeasonChoice = { all: true } | { all: false; picked: number[]; text: string };

export function seasonsToSend(choice: SeasonChoice): number[] | undefined | null {
  if (choice.all) return undefined;
  const seasons = choice.text !== "" ? parseSeasonList(choice.text) : choice.picked;
  return seasons && seasons.length > 0 ? seasons : null;
}

export function SeasonPicker({
  known,
  value,
  onChange,
  error,
}: {
  known: number[] | null;
  value: SeasonChoice;
  onChange: (v: SeasonChoice) => void;
  error: string | null;
}) {
  const name = useId();
  const textId = useId();
  const errorId = useId();
  const picked = value.all ? [] : value.picked;

  return (
    <fieldset className="fieldset" data-testid="season-picker">
      <legend className="field__label">Seasons</legend>
      <label className="choice">
        <input type="radio" name={name} checked={value.all} onChange={() => onChange({ all: true })} />
        <span>All seasons</span>
      </label>
      <label className="choice">
        <input
          type="radio"
          name={name}
          checked={!value.all}
          onChange={() => onChange({ all: false, picked: [], text: "" })}
        />
        <span>Only some seasons</span>
      </label>
      {!value.all &&
        (known ? (
          <div className="season-grid" role="group" aria-label="Seasons to request" aria-describedby={error ? errorId : undefined}>
            {known.map((n) => (
              <label key={n} className="season-grid__item">
                <input
                  type="checkbox"
                  checked={picked.includes(n)}
                  onChange={(e) =>
                    onChange({
                      all: false,
                      text: "",
                      picked: e.target.checked ? [...picked, n].sort((a, b) => a - b) : picked.filter((p) => p !== n),
                    })
                  }
                />
                <span>Season {n}</span>
              </label>
            ))}
          </div>
        ) : (
          <div className="field">
            <label className="field__label" htmlFor={textId}>
              Season numbers
            </label>
            <input
              id={textId}
              className="input"
              inputMode="numeric"
              placeholder="1, 2, 5-7"
              aria-describedby={error ? errorId : undefined}
              aria-invalid={error ? true : undefined}
              value={value.text}
              onChange={(e) => onChange({ all: false, picked: [], text: e.target.value })}
            />
          </div>
        ))}
      {error && (
        <p id={errorId} className="form__error" role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}
