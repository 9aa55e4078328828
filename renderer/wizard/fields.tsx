/** Labelled inputs with their hint and error wired for screen readers (aria-describedby, aria-invalid). */
import type { ReactNode } from 'react';
import type { UseFormRegisterReturn } from 'react-hook-form';

interface TextFieldProps {
  id: string;
  label: string;
  registration?: UseFormRegisterReturn;
  hint?: ReactNode;
  error?: string | undefined;
  type?: 'text' | 'password' | 'email' | 'url';
  inputMode?: 'numeric' | 'email' | 'url' | 'text';
  autoComplete?: string;
  value?: string;
  onChange?: (value: string) => void;
  width?: 'short' | 'long';
}

export function TextField({ id, label, registration, hint, error, type = 'text', inputMode, autoComplete = 'off', value, onChange, width = 'long' }: TextFieldProps) {
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  const controlled = registration ? {} : { value: value ?? '', onChange: (e: { target: { value: string } }) => onChange?.(e.target.value) };
  return (
    <div className={`field field-${width}`}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <input id={id} type={type} inputMode={inputMode} autoComplete={autoComplete} spellCheck={false} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...registration} {...controlled} />
      {error && (
        <p className="error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

export interface Choice<V extends string> {
  value: V;
  label: string;
  detail?: ReactNode;
}

export function ChoiceGroup<V extends string>({ legend, name, choices, value, onChange }: { legend: string; name: string; choices: ReadonlyArray<Choice<V>>; value: V; onChange: (value: V) => void }) {
  return (
    <fieldset className="choices">
      <legend>{legend}</legend>
      {choices.map((choice) => (
        <label key={choice.value} className="choice">
          <input type="radio" name={name} value={choice.value} checked={value === choice.value} onChange={() => onChange(choice.value)} />
          <span>
            <strong>{choice.label}</strong>
            {choice.detail && <span className="choice-detail">{choice.detail}</span>}
          </span>
        </label>
      ))}
    </fieldset>
  );
}

export function Notice({ tone = 'info', children, title }: { tone?: 'info' | 'warning' | 'success' | 'error'; title?: string; children: ReactNode }) {
  return (
    <div className={`notice notice-${tone}`} role={tone === 'error' || tone === 'warning' ? 'alert' : 'status'}>
      {title && <p className="notice-title">{title}</p>}
      {children}
    </div>
  );
}
