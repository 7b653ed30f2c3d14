// A 2:3 poster with the title always visible underneath (touch screens have no hover).

import { Film } from "lucide-react";
import { useState, type ReactNode } from "react";
import { Link } from "wouter";

export interface PosterCardProps {
  title: string;
  subtitle?: string | null;
  imageUrl: string | null;
  href?: string;
  typeLabel?: string;
  status?: ReactNode;
}

export function PosterCard({ title, subtitle, imageUrl, href, typeLabel, status }: PosterCardProps) {
  const [broken, setBroken] = useState(false);
  const body = (
    <>
      <div className="poster__frame">
        {imageUrl && !broken ? (
          // alt is empty: the title is right below, a screen reader would hear it twice
          <img
            className="poster__img"
            src={imageUrl}
            alt=""
            loading="lazy"
            decoding="async"
            onError={() => setBroken(true)}
          />
        ) : (
          <div className="poster__placeholder" aria-hidden="true">
            <Film size={32} />
          </div>
        )}
        {typeLabel && <span className="poster__type">{typeLabel}</span>}
        {status && <span className="poster__status">{status}</span>}
      </div>
      <span className="poster__title">{title}</span>
      {subtitle && <span className="poster__subtitle">{subtitle}</span>}
    </>
  );
  return href ? (
    <Link href={href} className="poster poster--link" data-testid="poster-card">
      {body}
    </Link>
  ) : (
    <div className="poster" data-testid="poster-card">
      {body}
    </div>
  );
}

export function PosterSkeleton() {
  return (
    <div className="poster" aria-hidden="true">
      <div className="poster__frame skeleton" />
      <span className="skeleton skeleton--line" />
      <span className="skeleton skeleton--line skeleton--short" />
    </div>
  );
}
