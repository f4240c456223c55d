import type { ReactNode } from 'react';

/** A coloured tile with the product's initials: no image assets, and no dependence on an emoji font. */
export function ProductThumb(props: { name: string; category: string; small?: boolean }): ReactNode {
  const initials = props.name
    .replace(/[^A-Za-z0-9 ]/g, '')
    .split(/\s+/)
    .filter((word) => word.length > 2 || /^[0-9A-Z]/.test(word))
    .slice(0, 2)
    .map((word) => word[0]!.toUpperCase())
    .join('');
  return <div className={`thumb thumb-${props.category}${props.small ? ' thumb-small' : ''}`}>{initials}</div>;
}
