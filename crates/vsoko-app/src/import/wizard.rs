//! The wizard's steps before an import: what may be imported, when and where; the file kept
//! between steps (only its uploader sees it); the mapping profiles saved in the network.

use crate::error::{AppError, AppResult};
use crate::{App, Principal};
use std::sync::Arc;
use vsoko_checklist::Instrument;
use vsoko_exchange::MappingProfile;
use vsoko_storage::{Kindergarten, Period, Scope};

use super::*;

/// The instrument the first step of an import offers first: the teachers' survey, the one a
/// network most often collects through Google or Yandex Forms.
pub const PRESELECTED_INSTRUMENT: &str = "dc-teacher";

/// What the first step of an import offers the caller.
#[derive(Debug, Clone)]
pub struct ImportChoices {
    /// The latest version of every instrument answers are imported for (control cards are
    /// filled by observation, never collected through a form service).
    pub instruments: Vec<Arc<Instrument>>,
    /// The code of the instrument offered first.
    pub preselected: &'static str,
    /// The open periods, the current one first.
    pub periods: Vec<Period>,
    /// The kindergartens rows may be imported into, when the caller imports for the network
    /// (a head imports into her own kindergarten only: empty).
    pub kindergartens: Vec<Kindergarten>,
    /// The mapping profiles saved in the network.
    pub profiles: Vec<NamedProfile>,
}

impl App {
    /// The first step of an import: what may be imported, when and where (heads, methodists,
    /// administrators; 403 for teachers).
    pub async fn import_choices(&self, principal: &Principal) -> AppResult<ImportChoices> {
        let scope = principal.check_import(None)?;
        let instruments = self
            .latest_instruments()
            .await?
            .into_iter()
            .map(|resolved| resolved.instrument)
            .filter(|instrument| instrument.kind() != vsoko_checklist::InstrumentKind::ControlCard)
            .collect();
        let kindergartens = match scope {
            Scope::Network(_) => self.kindergartens(principal).await?,
            Scope::Kindergarten(_) => Vec::new(),
        };
        Ok(ImportChoices {
            instruments,
            preselected: PRESELECTED_INSTRUMENT,
            periods: self.open_periods(principal).await?,
            kindergartens,
            profiles: self.import_profiles(principal, None).await?,
        })
    }

    /// Keeps a file for the import wizard (those who import: heads, managers, admins). Only its
    /// uploader sees it; it is deleted once imported, or after a day.
    pub async fn stage_import(
        &self,
        principal: &Principal,
        file_name: &str,
        bytes: &[u8],
    ) -> AppResult<i64> {
        principal.check_import(None)?;
        if bytes.is_empty() {
            return Err(AppError::invalid(
                "file",
                "empty",
                "выберите файл: выгрузку Google Форм, Яндекс Форм или таблицу Excel",
            ));
        }
        let mut checks = crate::validate::Checks::new();
        let file_name = checks.name("file", "имя файла", file_name, 200);
        checks.done()?;
        Ok(self
            .store
            .stage_upload(principal.user.id, &file_name, bytes)
            .await?)
    }

    /// A file the caller uploaded to the wizard (anybody else's is «not found»).
    pub async fn staged_import(&self, principal: &Principal, id: i64) -> AppResult<StagedFile> {
        let upload = self.store.staged_upload(principal.user.id, id).await?;
        Ok(StagedFile {
            id: upload.id,
            file_name: upload.file_name,
            bytes: upload.bytes,
        })
    }

    /// Deletes a file of the wizard (imported, or given up).
    pub async fn discard_import(&self, principal: &Principal, id: i64) -> AppResult<()> {
        Ok(self.store.discard_upload(principal.user.id, id).await?)
    }

    /// The mapping profiles saved in the caller's network, optionally of one instrument.
    pub async fn import_profiles(
        &self,
        principal: &Principal,
        instrument: Option<&str>,
    ) -> AppResult<Vec<NamedProfile>> {
        principal.check_import(None)?;
        let mut profiles = Vec::new();
        for saved in self.store.profiles(principal.network_id()).await? {
            if instrument.is_some_and(|code| code != saved.instrument_code) {
                continue;
            }
            // A profile that no longer reads is left out, not an error of the listing.
            if let Ok(profile) = MappingProfile::from_json(&saved.profile) {
                profiles.push(NamedProfile {
                    id: saved.id,
                    name: saved.name,
                    profile,
                });
            }
        }
        Ok(profiles)
    }

    /// One saved profile of the caller's network.
    pub async fn import_profile(&self, principal: &Principal, id: i64) -> AppResult<NamedProfile> {
        principal.check_import(None)?;
        let saved = self.store.profile(principal.network_id(), id).await?;
        let profile = MappingProfile::from_json(&saved.profile)
            .map_err(|error| AppError::invalid("profile", "invalid", error.to_string()))?;
        Ok(NamedProfile {
            id: saved.id,
            name: saved.name,
            profile,
        })
    }

    /// Saves a mapping profile under a name for the caller's network (replacing one of that name),
    /// so that the next export of the same form is imported without mapping it again.
    pub async fn save_import_profile(
        &self,
        principal: &Principal,
        name: &str,
        profile: &MappingProfile,
    ) -> AppResult<NamedProfile> {
        principal.check_import(None)?;
        let mut checks = crate::validate::Checks::new();
        let name = checks.name("profile_name", "название профиля", name, 200);
        checks.done()?;
        let json = profile.to_json();
        let saved = self
            .store
            .save_profile(
                principal.user.id,
                principal.network_id(),
                &name,
                (&profile.instrument, profile.version),
                &json,
            )
            .await?;
        Ok(NamedProfile {
            id: saved.id,
            name: saved.name,
            profile: profile.clone(),
        })
    }
}
