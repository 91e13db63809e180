import CentralStore
import CheckpointCore
import Foundation

/// The page's words in Chinese (default) and English. Keys are what templates use as `{{t.key}}`.
enum UIText {
    enum Language: String, Sendable { case zh, en }

    static func table(_ language: Language) -> [String: String] { language == .en ? english : chinese }

    static let chinese: [String: String] = [
        "appName": "卡点数据中心", "signIn": "登录", "signOut": "退出", "username": "用户名", "password": "密码",
        "badCredentials": "用户名或密码错误", "tooManyAttempts": "尝试次数过多，请稍后再试", "today": "今日概况",
        "todayAtAGlance": "今日概况", "ledger": "台账", "alerts": "告警", "entries": "通行总数", "admit": "放行",
        "refuse": "拒绝", "refer": "转人工", "remeasure": "复测", "fevers": "发热", "perCheckpoint": "各卡点",
        "perHour": "各小时", "hour": "小时", "checkpoint": "卡点", "gates": "闸机", "gate": "闸机",
        "lastContact": "最近联系", "backlog": "待上传", "clockOffset": "时钟偏差(秒)", "faults": "设备故障",
        "offline": "离线", "from": "从", "to": "至", "allDecisions": "全部结果", "show": "查询", "exportCSV": "导出 CSV",
        "print": "打印", "printedLedger": "卡点通行台账", "time": "时间", "direction": "方向", "code": "健康码",
        "temperature": "体温", "decision": "结果", "reason": "原因", "nextPage": "下一页", "kind": "类型",
        "acknowledged": "确认", "acknowledge": "确认", "live": "实时", "reconnecting": "正在重连…",
        "street": "街道", "community": "社区", "district": "全区",
        "districtAdmin": "区级管理员", "streetOffice": "街道", "checkpointStaff": "卡点值守", "auditor": "审计员",
        "watchList": "重点人员名单", "upload": "上传名单", "csvFile": "CSV 文件", "preview": "预览", "apply": "导入",
        "line": "行", "colour": "颜色", "isolation": "居家隔离", "validUntil": "有效期至", "problem": "问题", "search": "搜索",
        "remove": "移除", "applied": "已导入", "removed": "已移除", "passages": "通行轨迹", "lookup": "查询",
        "lookupNote": "每次查询都会记入审计日志。", "currentList": "当前名单",
        "credentialOnce": "闸机凭据（只显示这一次，请写入闸机的密钥文件）：", "registered": "登记时间", "state": "状态",
        "rotateSecret": "更换密钥", "revoke": "吊销", "registerGate": "登记闸机", "register": "登记", "active": "在用",
        "revoked": "已吊销", "gateRevoked": "已吊销闸机", "lane": "通道", "openOnce": "远程开闸一次",
        "openSent": "已发送远程开闸：", "profile": "配置版本", "profileCurrent": "最新", "profileRefused": "拒绝了",
        "red": "红", "orange": "橙", "yellow": "黄", "blue": "蓝", "green": "绿",
        "fever": "发热", "refusal": "拒绝通行", "isolationExit": "隔离人员外出", "watchListed": "重点人员", "conflict": "数据冲突",
        "gateSilent": "闸机失联", "clockSkew": "时钟偏差过大", "deviceFault": "设备故障", "doorForced": "门被强行打开", "doorHeldOpen": "门长时间未关", "detail": "详情",
        "webhook": "告警推送", "webhookEndpoint": "推送地址：", "webhookOff": "未配置告警推送。", "attempts": "尝试次数",
        "queued": "排队时间", "lastAttempt": "最近尝试", "nextAttempt": "下次尝试",
        "delivery.pending": "待重试", "delivery.delivered": "已送达", "delivery.failed": "失败",
    ]

    static let english: [String: String] = [
        "appName": "Checkpoint central", "signIn": "Sign in", "signOut": "Sign out", "username": "Username",
        "password": "Password", "badCredentials": "Wrong username or password",
        "tooManyAttempts": "Too many attempts; try again later", "today": "Today", "todayAtAGlance": "Today at a glance",
        "ledger": "Ledger", "alerts": "Alerts", "entries": "Entries", "admit": "Admitted", "refuse": "Refused",
        "refer": "Referred", "remeasure": "Remeasure", "fevers": "Fevers", "perCheckpoint": "Per checkpoint",
        "perHour": "Per hour", "hour": "Hour", "checkpoint": "Checkpoint", "gates": "Gates", "gate": "Gate",
        "lastContact": "Last contact", "backlog": "Backlog", "clockOffset": "Clock offset (s)", "faults": "Device faults",
        "offline": "offline", "from": "From", "to": "To", "allDecisions": "All decisions", "show": "Show",
        "exportCSV": "Export CSV", "print": "Print", "printedLedger": "Checkpoint entry ledger", "time": "Time",
        "direction": "Direction", "code": "Code", "temperature": "Temperature", "decision": "Decision", "reason": "Reason",
        "nextPage": "Next page", "kind": "Kind", "acknowledged": "Acknowledged", "acknowledge": "Acknowledge",
        "live": "live", "reconnecting": "reconnecting…", "street": "Street office", "community": "Community",
        "district": "District", "districtAdmin": "District admin", "streetOffice": "Street office",
        "checkpointStaff": "Checkpoint staff", "auditor": "Auditor", "watchList": "Watch list", "upload": "Upload a list",
        "csvFile": "CSV file", "preview": "Preview", "apply": "Apply", "line": "Line", "colour": "Colour",
        "isolation": "Isolation", "validUntil": "Valid until", "problem": "Problem", "search": "Search", "remove": "Remove",
        "applied": "applied", "removed": "removed", "passages": "Passages", "lookup": "Look up",
        "lookupNote": "Every lookup is recorded in the audit log.", "currentList": "Current list",
        "credentialOnce": "Gate credential (shown this once: put it in the gate's secrets file):", "registered": "Registered",
        "state": "State", "rotateSecret": "Rotate secret", "revoke": "Revoke", "registerGate": "Register a gate",
        "register": "Register", "active": "active", "revoked": "revoked", "gateRevoked": "Revoked gate", "lane": "Lane",
        "openOnce": "Open once", "openSent": "Open once sent:", "profile": "Profile", "profileCurrent": "current",
        "profileRefused": "refused",
        "red": "red", "orange": "orange", "yellow": "yellow", "blue": "blue", "green": "green", "fever": "Fever", "refusal": "Refusal",
        "isolationExit": "Isolation exit", "watchListed": "Watch-listed", "conflict": "Conflict",
        "gateSilent": "Gate silent", "clockSkew": "Clock offset", "deviceFault": "Device fault", "doorForced": "Door forced open", "doorHeldOpen": "Door held open", "detail": "Detail",
        "webhook": "Alert webhook", "webhookEndpoint": "Endpoint:", "webhookOff": "No webhook is configured.", "attempts": "Attempts",
        "queued": "Queued", "lastAttempt": "Last attempt", "nextAttempt": "Next attempt",
        "delivery.pending": "pending", "delivery.delivered": "delivered", "delivery.failed": "failed",
    ]
}
