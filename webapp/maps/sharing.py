"""Read-only share links: a token that opens one map's page to someone without an account, until revoked.

The token is the whole credential, like an invitation's: 32 random bytes from `secrets`, so it cannot be
guessed. Revoking keeps the row (who shared what, when) and makes the link answer 404 from then on.
Every function here adds and flushes; the request that called it commits.
"""
import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.auth.models import User
from webapp.database import UTCDateTime, utcnow
from webapp.extensions import db
from webapp.maps.models import JourneyMap

TOKEN_BYTES = 32


class MapShareLink(db.Model):
    __tablename__ = "map_share_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    map_id: Mapped[int] = mapped_column(ForeignKey("journey_map.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    journey_map: Mapped[JourneyMap] = relationship()
    created_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        state = "revoked" if self.revoked_at else "active"
        return f"<MapShareLink {self.id} map={self.map_id} {state}>"


def create_share_link(journey_map: JourneyMap, created_by: User | None) -> MapShareLink:
    """A new, active read-only link to the map."""
    link = MapShareLink(journey_map=journey_map, token=secrets.token_urlsafe(TOKEN_BYTES), created_by=created_by,
                        created_at=utcnow())
    db.session.add(link)
    db.session.flush()
    return link


def revoke_share_link(link: MapShareLink) -> None:
    """Close the link for good; revoking twice keeps the first time."""
    link.revoked_at = link.revoked_at or utcnow()
    db.session.flush()


def active_share_links(journey_map: JourneyMap) -> list[MapShareLink]:
    """The map's links that still open it, newest first."""
    return list(db.session.scalars(
        select(MapShareLink)
        .where(MapShareLink.map_id == journey_map.id, MapShareLink.revoked_at.is_(None))
        .order_by(MapShareLink.created_at.desc(), MapShareLink.id.desc())
    ))


def shared_map_link(token: str) -> MapShareLink | None:
    """The active link with this token, or None for an unknown or revoked one."""
    if not token or len(token) > MapShareLink.__table__.c.token.type.length:
        return None
    return db.session.scalar(
        select(MapShareLink).where(MapShareLink.token == token, MapShareLink.revoked_at.is_(None))
    )
