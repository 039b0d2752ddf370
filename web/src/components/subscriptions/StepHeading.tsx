import { useEffect, useRef, type ReactNode } from "react";

/**
 * A step's h2. When the customer moved to this step (`focus`), it takes the focus, as a new
 * page's h1 does, so a screen reader starts reading the new step.
 */
export function StepHeading({ children, focus, id }: { children: ReactNode; focus: boolean; id?: string }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focus) heading.current?.focus();
  }, [focus]);
  return (
    <h2 ref={heading} id={id} tabIndex={-1} className="sub-step__heading">
      {children}
    </h2>
  );
}
